"""What ``bench compare`` sets the gateway against, each answering IciUser.getAttributes
with the answers captured from the gateway at the start of the run.

- :mod:`bench.references.spyne_server`: spyne under gunicorn, the Python SOAP server a
  user would otherwise pick;
- :mod:`bench.references.ceiling_server`: one FastAPI process that parses and answers as
  the gateway does but has nothing behind it, the ceiling of our own stack for one hop.
"""
