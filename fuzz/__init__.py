"""Fuzzing the request path that takes untrusted bytes: ``make fuzz`` (``python -m fuzz``).

Coverage-guided atheris harnesses (``fuzz.targets``) over the hardened parser, the
SOAPAction and path resolution, the registry's decoding of every operation and the whole
gateway SOAP endpoint in process; schemathesis over the gateway's JSON API on a real
embedded stack (``fuzz.api``). The README's "Fuzzing" section tells what the last run found.
"""
