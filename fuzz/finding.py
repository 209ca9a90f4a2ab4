"""What a harness raises for an answer the suite must never give."""


class Finding(AssertionError):
    """An exception other than IciFault, an answer other than a SOAP fault or a 4xx,
    a decoded value of the wrong type, or an error logged while answering."""
