"""The status page of spec 3.4.2, ``/OII/default.aspx``."""
