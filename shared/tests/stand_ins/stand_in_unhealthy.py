from stand_in_common import run

run(status=503)
