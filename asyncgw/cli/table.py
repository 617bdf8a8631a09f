"""The command table: where each command lives and its short help, readable without click."""

COMMANDS: dict[str, tuple[str, str, str]] = {
    # name: (module under asyncgw.cli.commands, attribute, short help)
    "status": ("status", "status", "Show each method's mode and the stages."),
    "list": ("list", "list_apis", "List the Region's APIs with their modes and lagging stages."),
    "advise": ("advise", "advise", "Rank which methods should be async, from their metrics."),
    "enable-async": ("change", "enable_async",
                     "Make methods always invoke their function asynchronously."),
    "enable-switchable": ("change", "enable_switchable",
                          "Let callers choose sync or async per request."),
    "disable": ("change", "disable", "Return methods to synchronous invocation."),
    "verify": ("verify", "verify", "Prove methods' wiring with TestInvokeMethod."),
    "redeploy": ("redeploy", "redeploy", "Deploy a stage so callers get the current API."),
    "recover": ("recover", "recover", "Put back an API an interrupted apply left half-changed."),
    "promote": ("canary", "promote", "Give a stage's canary all of its traffic."),
    "cancel-canary": ("canary", "cancel_canary",
                      "Remove a stage's canary; its own deployment serves all."),
    "apply": ("apply", "apply", "Apply a plan saved with --out, unless the API moved since."),
    "export": ("export", "export", "Print the change as infrastructure code."),
    "iam-policy": ("iam_policy", "iam_policy",
                   "Print the least-privilege IAM policy asyncgw needs."),
    "demo": ("demo", "demo", "See the whole tool work on an emulated account."),
    "sandbox": ("sandbox", "sandbox", "Serve the emulated account for manual use."),
}
"""In reading order here; the top-level help lists the names sorted, as click does."""


def short_help(name: str) -> str:
    """The one-line help of command `name`, as the top-level --help lists it."""
    return COMMANDS[name][2]
