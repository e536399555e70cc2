"""A LangChain agent that gets things done through the router, as one tool: `GorillaRouterTool`.

The agent's own LLM is played here by a scripted chat model that emits one tool call and then answers, so
the script runs offline with nothing to configure. To use a real LLM, replace `model` with any chat model
that supports tool calling (`init_chat_model("openai:gpt-4o-mini")`, `ChatOllama(...)`, …): the tool, the
router and its safety guard stay the same. Needs the extra: pip install 'gorilla-router[langchain]'.
"""

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from gorilla_router import GorillaRouter
from gorilla_router.integrations import FakeToolCallingModel

REQUEST = "What is the square root of 3342398?"

with GorillaRouter() as router:  # bundled API Zoo, local index, embedded model, default policy
    tool = router.as_tool()  # a GorillaRouterTool: tool.run("…") is router.run("…")

    model = FakeToolCallingModel(  # stands in for the agent's LLM: calls the tool once, then answers
        responses=[
            AIMessage(
                content="",
                tool_calls=[{"name": tool.name, "args": {"query": "square root of 3342398"}, "id": "call_1"}],
            ),
            AIMessage(content="I asked the API router; its answer is above."),
        ]
    )
    agent = create_agent(
        model, tools=[tool], system_prompt="Use the gorilla_router tool for real-world tasks."
    )
    state = agent.invoke({"messages": [HumanMessage(REQUEST)]})

    tool_result = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    print("request:    ", REQUEST)
    print(
        "tool result:", tool_result.content
    )  # {"status": "ok", "call": "math.sqrt(x=3342398)", "output": 1828.22…}
    print("agent:      ", state["messages"][-1].content)
