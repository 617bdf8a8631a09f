"""The CDK exports: the same construct calls written as Python or as TypeScript."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from asyncgw.core.modes import function_name
from asyncgw.export import notes
from asyncgw.export.naming import camel, pascal, snake
from asyncgw.export.spec import ExportSpec, MethodState, ValidatorState

Language = Literal["python", "typescript"]
RESPONSE = "200"
_INDENT = {"python": "    ", "typescript": "  "}


@dataclass(frozen=True)
class Var:
    """A variable named from a phrase: snake_case in Python, camelCase in TypeScript."""

    phrase: str


@dataclass(frozen=True)
class Raw:
    """Code written as is in both languages (`api.root`, `self`/`this` is a Raw pair)."""

    python: str
    typescript: str


@dataclass(frozen=True)
class Call:
    """`callee(args, options)`: keyword arguments in Python, an options object in TypeScript."""

    callee: Raw
    args: Sequence[Value] = ()
    options: Mapping[str, Value] = field(default_factory=dict)
    new: bool = False


@dataclass(frozen=True)
class Struct:
    """A CDK struct: `apigateway.Type(field=...)` in Python, `{ field: ... }` in TypeScript."""

    python_type: str
    fields: Mapping[str, Value]


@dataclass(frozen=True)
class Chain:
    """`target.call(...)`."""

    target: Value
    call: Call


Value: TypeAlias = (
    str | bool | Var | Raw | Call | Struct | Chain | Mapping[str, "Value"] | Sequence["Value"]
)


@dataclass(frozen=True)
class Statement:
    """`name = value` (or a bare expression), with comment lines above it."""

    value: Value
    name: Var | None = None
    comment: Sequence[str] = ()


API_ROOT = Raw("api.root", "api.root")
SCOPE = Raw("self", "this")


def statements(spec: ExportSpec) -> list[Statement]:
    """Validators, function look-ups, then one add_method per method."""
    out = [_validator(v) for v in spec.validators]
    functions = dict.fromkeys(m.function for m in spec.methods)
    out.extend(
        Statement(
            Call(Raw("lambda_.Function.from_function_arn", "lambda.Function.fromFunctionArn"),
                 (SCOPE, pascal(function_name(f)) or "Function", f)),
            _function_var(f),
            ["the function this method invokes now; use your own construct if you have one"],
        )
        for f in functions
    )
    out.extend(_method(m) for m in spec.methods)
    return out


def render(spec: ExportSpec, language: Language) -> str:
    """The CDK code in `language`, with imports and the notes as comments."""
    mark = "#" if language == "python" else "//"
    lines = [f"{mark} {text}".rstrip() for text in _preamble(spec)]
    if language == "python":
        lines += ["from aws_cdk import aws_apigateway as apigateway",
                  "from aws_cdk import aws_lambda as lambda_"]
    else:
        lines += ["import * as apigateway from 'aws-cdk-lib/aws-apigateway';",
                  "import * as lambda from 'aws-cdk-lib/aws-lambda';"]
    for statement in statements(spec):
        lines.append("")
        lines += [f"{mark} {text}".rstrip() for text in statement.comment]
        lines.append(_statement(statement, language))
    return "\n".join(lines) + "\n"


def render_python(spec: ExportSpec) -> str:
    """The CDK code in Python."""
    return render(spec, "python")


def render_typescript(spec: ExportSpec) -> str:
    """The CDK code in TypeScript."""
    return render(spec, "typescript")


def _preamble(spec: ExportSpec) -> list[str]:
    return [
        *notes.header(spec, "CDK code"),
        "Paste into your stack: `api` is your apigateway.RestApi; replace the existing",
        "add_method/addMethod call of each method rather than adding a second one.",
        *notes.redeploy_note(
            "  a RestApi with deploy enabled (the default) hashes its methods into its"),
        "  deployment's logical id, so `cdk deploy` redeploys by itself.",
    ]


def _function_var(function: str) -> Var:
    return Var(f"{function_name(function)} function")


def _validator_var(validator: ValidatorState) -> Var:
    return Var(f"{validator.name} validator")


def _validator(validator: ValidatorState) -> Statement:
    comment = (notes.field_note("new request validator") if validator.is_new
               else [f"the existing validator {validator.existing_id}"])
    call = Call(Raw("api.add_request_validator", "api.addRequestValidator"),
                (pascal(validator.name) or "Validator",),
                {
                    "request_validator_name": validator.name,
                    "validate_request_body": validator.validate_request_body,
                    "validate_request_parameters": validator.validate_request_parameters,
                })
    return Statement(call, _validator_var(validator), comment)


def _method(method: MethodState) -> Statement:
    integration: dict[str, Value] = {"proxy": False}
    if method.integration_request_parameters:
        integration["request_parameters"] = dict(method.integration_request_parameters)
    if method.request_templates:
        integration["request_templates"] = dict(method.request_templates)
    integration["integration_responses"] = [
        Struct("apigateway.IntegrationResponse", {"status_code": RESPONSE})]
    options: dict[str, Value] = {}
    if method.request_parameters:
        options["request_parameters"] = dict(method.request_parameters)
    if method.validator is not None:
        options["request_validator"] = _validator_var(method.validator)
    options["method_responses"] = [Struct("apigateway.MethodResponse", {"status_code": RESPONSE})]
    resource: Value = API_ROOT if method.path == "/" else Call(
        Raw("api.root.resource_for_path", "api.root.resourceForPath"), (method.path,))
    add = Call(Raw("add_method", "addMethod"), (
        method.http_method,
        Call(Raw("apigateway.LambdaIntegration", "apigateway.LambdaIntegration"),
             (_function_var(method.function),), integration, new=True),
    ), options)
    comment = notes.change_lines(method)
    if method.authorization_type != "NONE":
        comment.append(f"authorization {method.authorization_type} is not exported: keep yours")
    return Statement(Chain(resource, add), comment=comment)


def _statement(statement: Statement, language: Language) -> str:
    text = _value(statement.value, language, 0)
    if statement.name is None:
        return text if language == "python" else f"{text};"
    name = _var(statement.name, language)
    return f"{name} = {text}" if language == "python" else f"const {name} = {text};"


def _var(var: Var, language: Language) -> str:
    name = snake(var.phrase) if language == "python" else camel(var.phrase)
    return f"_{name}" if name[:1].isdigit() else name


def _value(value: Value, language: Language, depth: int) -> str:
    if isinstance(value, bool):
        return ("True" if value else "False") if language == "python" else str(value).lower()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Var):
        return _var(value, language)
    if isinstance(value, Raw):
        return value.python if language == "python" else value.typescript
    if isinstance(value, Chain):
        return f"{_value(value.target, language, depth)}.{_call(value.call, language, depth)}"
    if isinstance(value, Call):
        return _call(value, language, depth)
    if isinstance(value, Struct):
        if language == "python":
            return _call(Call(Raw(value.python_type, ""), (), value.fields), language, depth)
        return _object(value.fields, language, depth, option_keys=True)
    if isinstance(value, Mapping):
        return _object(value, language, depth, option_keys=False)
    return _list(value, language, depth)


def _call(call: Call, language: Language, depth: int) -> str:
    callee = _value(call.callee, language, depth)
    if language == "typescript" and call.new:
        callee = f"new {callee}"
    if language == "typescript":
        args = [_value(arg, language, depth) for arg in call.args]
        if call.options:
            args.append(_object(call.options, language, depth, option_keys=True))
        return f"{callee}({', '.join(args)})"
    # Python: one argument a line, so nested values sit one level deeper, unless short.
    args = [_value(arg, language, depth + 1) for arg in call.args]
    args += [f"{key}={_value(v, language, depth + 1)}" for key, v in call.options.items()]
    inline = f"{callee}({', '.join(args)})"
    if _short(inline, depth) and (not call.options or not call.args or len(args) == 1):
        return inline
    pad = _INDENT[language] * (depth + 1)
    rows = "".join(f"{pad}{arg},\n" for arg in args)
    return f"{callee}(\n{rows}{_INDENT[language] * depth})"


def _short(text: str, depth: int) -> bool:
    return "\n" not in text and len(text) + len(_INDENT["python"]) * depth <= 72


def _object(
    mapping: Mapping[str, Value], language: Language, depth: int, option_keys: bool
) -> str:
    if not mapping:
        return "{}"
    pad = _INDENT[language] * (depth + 1)
    rows = []
    for key, item in mapping.items():
        name = camel(key) if option_keys and language == "typescript" else json.dumps(key)
        rows.append(f"{name}: {_value(item, language, depth + 1)}")
    inline = "{ " + ", ".join(rows) + " }"
    if option_keys and _short(inline, depth):
        return inline
    return "{\n" + "".join(f"{pad}{row},\n" for row in rows) + f"{_INDENT[language] * depth}}}"


def _list(items: Sequence[Value], language: Language, depth: int) -> str:
    return "[" + ", ".join(_value(item, language, depth) for item in items) + "]"
