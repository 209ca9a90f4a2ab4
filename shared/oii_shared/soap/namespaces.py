"""Every XML namespace the suite reads or writes, in one place."""

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"
# Spec 1.2 shows the ICI error detail in the IciEvent namespace whatever the interface.
ICI_ERRORS = "urn:IciEventInterface"
ICI_TYPES = "urn:IciTypes"

CONTENT_TYPE = "text/xml; charset=utf-8"
