"""OII SAPphone service: the SAPphone RFC functions of spec chapter 8 over SOAP."""
