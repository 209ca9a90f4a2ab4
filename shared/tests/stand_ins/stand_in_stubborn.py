from stand_in_common import run

run(stop_on_term=False)
