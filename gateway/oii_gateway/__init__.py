"""OII gateway: the one URL CRM calls. Routes SOAP to the services, hosts
IciSystem, IciUser and IciContainer, WSDLs, the status page and admin operations."""
