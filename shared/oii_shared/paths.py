"""HTTP paths CRM and operators use, shared by the gateway and the services."""

OII_ASMX = "/OII/OII.asmx"
STATUS_PAGE = "/OII/default.aspx"
SAPPHONE = "/OII/SAPphone.asmx"
HEALTHZ = "/healthz"
# The notifier's internal call that ends every CRM session: the operator's stop of the suite.
END_SESSIONS = "/internal/end-sessions"
