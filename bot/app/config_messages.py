"""What `load_config` says about a config it refuses, in the config's own terms: the keys a
misspelt one may mean, how a secret is written, what the whole file must look like."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from bot.app.secret_refs import REF_PATTERN
from bot.language.diagnostics import did_you_mean

NOT_A_MAPPING = (
    "the config must be a mapping of its sections (`clients:`, `runbooks:`, `timeout:`, `runs:`, "
    "`browser:`), not {kind}: write e.g. `clients: {{acme: {{settings: {{…}}, secrets: "
    "{{…}}}}}}` (`bot init` writes a whole one with a demo client; README, Configuration)"
)


def not_a_mapping(data: Any) -> str:
    kinds = [(bool, "true/false"), (list, "a list"), (str, "text"), (int | float, "a number")]
    # the value itself is not repeated: it could be anything, a password included
    kind = next((name for types_, name in kinds if isinstance(data, types_)), "a single value")
    return NOT_A_MAPPING.format(kind=kind)


def keys_at(annotation: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys the config model allows at `loc` (a pydantic error's location, without the
    unknown key itself): a model's field names, through dicts and lists of models."""
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not loc:
            return [name for name, field in annotation.model_fields.items() if not field.exclude]
        field = annotation.model_fields.get(str(loc[0]))
        return keys_at(field.annotation, loc[1:]) if field is not None else []
    if origin in (dict, list) and loc:  # a client's name, an endpoint's place
        return keys_at(get_args(annotation)[-1], loc[1:])
    if origin in (Union, types.UnionType):
        for choice in get_args(annotation):
            found = keys_at(choice, loc)
            if found:
                return found
    return []


def unknown_key(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """ "unknown field 'timout' — did you mean 'timeout'?" for an extra key at `loc`."""
    key = str(loc[-1])
    return f"unknown field '{key}'{did_you_mean(key, keys_at(model, loc[:-1]))}"


def secret_not_a_mapping(client: str, name: str, value: Any, settings: Any) -> str:
    """What to write for a secret given as text (a password, or a bare reference): the
    reference and its origins. The value itself is never repeated."""
    variable = f"{client}_{name}".upper().replace("-", "_").replace(".", "_")
    written = f'`{name}: {{ref: "env:{variable}", origins: [{_origin_for(name, settings)}]}}`'
    if isinstance(value, str) and REF_PATTERN.match(value.strip()):
        return (
            "a secret needs the origins it may be typed into as well as its reference: write "
            f"{written}, with the reference you wrote as `ref:`"
        )
    return (
        f"a secret is never written in the config: put its value in .env as {variable}=… and "
        f"write {written}"
    )


def _origin_for(secret: str, settings: Any) -> str:
    """The setting holding the URL a secret is most likely typed into."""
    known = settings if isinstance(settings, dict) else {}
    urls = [str(key) for key in known if str(key).endswith("_url")]
    for url in urls:
        if secret.startswith(url.removesuffix("_url")):
            return url
    if "integration" in secret and "acumatica_url" in urls:  # the integration user is Acumatica's
        return "acumatica_url"
    return "acumatica_url" if "acumatica_url" in urls or not urls else urls[0]
