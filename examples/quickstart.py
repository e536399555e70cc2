"""Quickstart: ask in plain words; the router finds the API in the zoo, writes the call and runs it."""

from gorilla_router import GorillaRouter

router = GorillaRouter()  # bundled API Zoo, local Chroma index, embedded model, default safety policy
result = router.run("what is the square root of 3342398")
print(result.call.to_source() if result.call else result.error)  # math.sqrt(x=3342398)
print(result.status.value, result.output)  # ok 1828.2226...
