"""Every model of the apps the assessment engine reads is either registered to bump its
street's data version (communities/versions.py) or said, on purpose, not to change a score.
A new model fails here until its author decides which (the cached scores depend on it)."""

from django.apps import apps

from communities import versions

# The apps whose records the engine (assessments/metrics, engine.py) and its callers read.
ENGINE_READS = ("communities", "facilities", "teams", "activities", "assessments")


def _models():
    for label in ENGINE_READS:
        for model in apps.get_app_config(label).get_models():
            # simple_history's copies: the engine reads the records, never their history.
            if model.__name__.startswith("Historical") and hasattr(model, "history_id"):
                continue
            yield model


def test_every_model_the_engine_may_read_is_registered_or_said_not_to_score():
    undecided = [
        m._meta.label
        for m in _models()
        if m not in versions.REGISTRY and m not in versions.NOT_SCORED
    ]
    assert undecided == []


def test_no_model_is_both_registered_and_said_not_to_score():
    assert set(versions.REGISTRY) & set(versions.NOT_SCORED) == set()


def test_every_registered_lookup_reaches_a_street():
    for model, paths in versions.REGISTRY.items():
        for path in paths:
            if path == "pk":
                continue
            # values_list() would raise FieldError on a wrong lookup
            str(model._base_manager.values_list(path).query)
