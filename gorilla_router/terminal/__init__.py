"""What a router looks like on a terminal (rich): shared by the ``gorilla-router`` CLI and the demo tour.

It lives outside ``cli/`` so that the demo, and anything else that prints a router's work, depends on
presentation only, never on the command-line package: ``cli`` and ``demo`` both point here, not at each
other. ``render`` draws plans, candidates and results; ``progress`` builds a router with progress shown
for its slow first steps.
"""
