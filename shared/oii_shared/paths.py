"""HTTP paths CRM and operators use, shared by the gateway and the services."""

OII_ASMX = "/OII/OII.asmx"
STATUS_PAGE = "/OII/default.aspx"
SAPPHONE = "/OII/SAPphone.asmx"
HEALTHZ = "/healthz"
# Liveness: 200 while the process works, even when the admin stopped the integration.
LIVEZ = "/livez"
# The notifier's internal call that ends every CRM session: the operator's stop of the suite.
END_SESSIONS = "/internal/end-sessions"
