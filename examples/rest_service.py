"""A REST call end to end: the router orders food from the project's local demo service.

The zoo's ``uber.eat.order`` entry names ``https://api.uber.com``; configuration (never the model) points the
``uber`` provider at the local service instead and allows the loopback address for it. Placing an order is a
``write`` call, so the guard asks ``confirm`` first — here a function that prints the question and agrees.
"""

from gorilla_router import GorillaRouter, RouterConfig
from gorilla_router.demo import FoodService


def confirm(call, spec, reason):
    print(f"confirm? {call.to_source()}  ({reason}) -> yes")
    return True


with FoodService() as service:  # http://127.0.0.1:<free port>, stopped when the block ends
    config = RouterConfig.load(base_url_overrides={"uber": service.url}, allow_private=["127.0.0.1"])
    with GorillaRouter(config=config, confirm=confirm) as router:
        result = router.run("order five burgers and six chicken wings from McDonald's")
    print(result.status.value, result.output)
    for order in service.orders:
        print("the service recorded:", order["restaurants"], order["items"], order["quantities"])
