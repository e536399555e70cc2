"""``python -m gorilla_router.demo [PORT]``: serve the food service on 127.0.0.1 until interrupted.

Prints the base URL on the first line so a parent process (a test, a script) can read it and stop the
server by PID afterwards.
"""

from __future__ import annotations

import sys
import time

from gorilla_router.demo.food_service import FoodService


def main(argv: list[str]) -> int:
    port = int(argv[0]) if argv else 0
    with FoodService(port=port) as service:
        print(service.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
