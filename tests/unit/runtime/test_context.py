"""context.entities lists exactly the declared models; placeholders fail clearly."""

from __future__ import annotations

from typing import Any

import pytest

from sentinel_spec.contract.declarations import AppDecl, Operation
from sentinel_spec.runtime.context import (
    Context,
    Entities,
    EntityNotListed,
    FeatureNotAvailable,
    NoDatabase,
)
from tests.in_process import error_of, serve


class Case:
    pass


class User:
    pass


def test_entities_expose_listed_models_only() -> None:
    entities = Entities("query `getCases`", {"Case": Case})
    assert entities.Case is Case
    with pytest.raises(EntityNotListed) as caught:
        _ = entities.User
    assert isinstance(caught.value, AttributeError)
    message = str(caught.value)
    assert message.startswith("query `getCases` does not list entity `User` in its `entities`")
    assert "`Case`" in message and message.endswith("add it there")
    assert not hasattr(entities, "User")


def test_placeholders_and_missing_database_raise_clear_errors() -> None:
    context = Context(request=None, request_id="r1", entities=Entities("job `x`", {}))
    assert context.user is None and context.request_id == "r1"
    with pytest.raises(FeatureNotAvailable, match=r"context\.jobs is not available"):
        _ = context.jobs.sendDigest
    with pytest.raises(FeatureNotAvailable, match=r"context\.email"):
        _ = context.email.send
    with pytest.raises(FeatureNotAvailable, match=r"context\.realtime"):
        _ = context.realtime.publish
    with pytest.raises(NoDatabase, match="no database"):
        _ = context.session


async def test_operation_sees_its_entities_and_errors_name_the_declaration() -> None:
    async def get_cases(args: Any, context: Context) -> str:
        assert context.entities.Case is Case
        assert context.request is not None
        return context.entities.User.__name__  # not listed

    decl = AppDecl(
        name="T",
        title="T",
        operations=(
            Operation(
                name="getCases",
                route_name="get-cases",
                kind="query",
                fn=get_cases,
                entities={"Case": Case},
            ),
        ),
    )
    async with serve(decl) as client:
        response = await client.post("/operations/get-cases")
        assert response.status_code == 500
        assert error_of(response)["code"] == "internal_error"
