"""VTL pieces the proxy templates are built of: JSON printing, header lookups, media types."""

from __future__ import annotations

import re
from collections.abc import Sequence

_MEDIA_TYPE = re.compile(r"[a-z0-9!&^_.+*-]+/[a-z0-9!&^_.+*-]+")

# The templates run on API Gateway's Velocity (Java objects) and on emulators built on airspeed
# (Python objects), so they call only what both offer: Map get/put/putAll/keySet on maps they
# made themselves, and String length/startsWith/substring/matches/replace/replaceAll. The maps
# $input.params() hands out need not be Java-like (LocalStack's header map has no keySet), hence
# the copy into a {} literal; toLowerCase, trim and indexOf have no common form, hence the regexes
# and the letter-by-letter lower-casing.

# $util.escapeJavaScript turns ' into \', which JSON rejects. AWS documents undoing it with
# replaceAll("\\'","'"), but backslashes in VTL string literals are read differently by Velocity
# and other engines; asking escapeJavaScript for the escaped quote itself avoids literals entirely.
QUOTE = '#set($escapedQuote = $util.escapeJavaScript("\'"))'
LOWER = (
    "#set($toLower = {"
    + ", ".join(f'"{c}": "{c.lower()}"' for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    + "})"
)
HEADERS = "#set($headerValues = {})#set($discard = $headerValues.putAll($input.params().header))"
# Whitespace around a media type: a space or a tab, written as itself to keep backslashes out.
_BLANK = "[ \t]"


def escaped(ref: str) -> str:
    """VTL printing reference `ref` (written without `$`) as JSON string content."""
    # The leading x keeps the argument from being blank: LocalStack escapes "" and " " as "{}".
    return (
        '$util.escapeJavaScript("x$!{' + ref + '}").substring(1).replace($escapedQuote, "\'")'
    )


def json_string(ref: str, empty: str = "null") -> str:
    """VTL printing `ref` as a JSON string, or `empty` when it is null or ''."""
    return '#if("$!{' + ref + '}" == "")' + empty + '#{else}"' + escaped(ref) + '"#end'


def count(ref: str) -> str:
    """VTL setting $count to the size of collection `ref`; 0 when it is null."""
    # Counting by #foreach survives a null collection in every engine; .size() on null does not.
    return "#set($count = 0)#foreach($counted in $" + ref + ")#set($count = $count + 1)#end"


def string_map(ref: str, names: str = "") -> str:
    """VTL printing map `ref` as a JSON object of strings, or null when it is null or empty.

    `names` is a list of the keys to print, when not all of them.
    """
    return _json_map(ref, names, "", "")


def list_map(ref: str, names: str = "") -> str:
    """VTL printing map `ref` as a JSON object of one-string arrays, or null when it is empty."""
    # Templates see one value per header or query key: AWS documents the multi-value ones
    # (method.request.multivalue*) as parameter-mapping sources only, never as template variables.
    return _json_map(ref, names, "[", "]")


def _json_map(ref: str, names: str, before: str, after: str) -> str:
    """VTL printing map `ref` as a JSON object, each string value between `before` and `after`."""
    keys = names or ref + ".keySet()"
    return (
        count(keys)
        + "#if($count == 0)null#{else}{#foreach($key in $"
        + keys
        + ')"'
        + escaped("key")
        + '": '
        + before
        + json_string(ref + ".get($key)", '""')
        + after
        + "#if($foreach.hasNext),#end#end}#end"
    )


def matches_name(var: str, name: str) -> str:
    """VTL condition: header name $<var> is `name` in any case (`name` is letters and dashes)."""
    return f'${var}.matches("(?i){name}")'


def header_value(var: str, name: str) -> str:
    """VTL setting $<var> to the value of request header `name`, whatever its case; '' if absent."""
    return (
        f'#set(${var} = "")#foreach($headerName in $headerValues.keySet())'
        f"#if({matches_name('headerName', name)})"
        f'#set(${var} = "$!{{headerValues.get($headerName)}}")#end#end'
    )


def lower(var: str) -> str:
    """VTL lower-casing the ASCII letters of $<var> in place."""
    return (
        "#foreach($letter in $toLower.keySet())"
        f"#set(${var} = ${var}.replace($letter, $toLower.get($letter)))#end"
    )


def media_type(var: str, source: str) -> str:
    """VTL setting $<var> to the lower-case type/subtype of header value `source`."""
    return (
        f'#set(${var} = "{source}")'
        f'#set(${var} = ${var}.replaceAll(";.*", "").replaceAll("{_BLANK}", ""))' + lower(var)
    )


def binary_check(media_var: str, flag: str, binary_media_types: Sequence[str]) -> str:
    """VTL setting $<flag> when $<media_var> matches one of the API's binary media types."""
    checks = []
    for media_type in normalised(binary_media_types):
        kind, subtype = media_type.split("/")
        if kind == "*" and subtype == "*":
            checks.append(f"#set(${flag} = true)")
        elif kind == "*":
            continue  # API Gateway ignores a wildcard type on the left
        elif subtype == "*":
            checks.append(f'#if(${media_var}.startsWith("{kind}/"))#set(${flag} = true)#end')
        else:
            checks.append(f'#if(${media_var} == "{media_type}")#set(${flag} = true)#end')
    return f"#set(${flag} = false)" + "".join(checks)


def normalised(binary_media_types: Sequence[str]) -> list[str]:
    """The binary media types as type/subtype, lower-cased, ~1 read as /; anything else refused."""
    result = []
    for raw in binary_media_types:
        media_type = raw.split(";")[0].strip().lower().replace("~1", "/")
        if not _MEDIA_TYPE.fullmatch(media_type):
            raise ValueError(f"not a media type: {raw!r}")
        result.append(media_type)
    return result


def concrete(binary_media_types: Sequence[str]) -> list[str]:
    """The binary media types that can key a request template (no wildcards)."""
    return [t for t in normalised(binary_media_types) if "*" not in t]
