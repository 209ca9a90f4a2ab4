"""SOAP 1.1 codec for ICI: one hardened parser, local-name matching, faults."""
