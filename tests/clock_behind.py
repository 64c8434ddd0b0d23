"""Run a Python module as a host whose clock is some seconds behind the others':
`python -m tests.clock_behind 5 gunicorn -c gunicorn.conf.py`.

Hosts' clocks drift apart; the cluster test starts one this way to prove that
nothing the site orders depends on which host served whom. The site clock
(qualityweek.clock) reads `time.time()`, so under QUALITYWEEK_CLOCK the whole
site runs behind, as on a host whose NTP has failed.
"""

import runpy
import sys
import time


def main() -> None:
    seconds, module, *arguments = sys.argv[1:]
    behind = float(seconds)
    real_time, real_time_ns = time.time, time.time_ns
    time.time = lambda: real_time() - behind
    time.time_ns = lambda: real_time_ns() - int(behind * 1e9)
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
