"""Signature rules: form, generic forms, canonicalisation, order-independent near-duplicate merging."""

from __future__ import annotations

import random

import pytest

from feedback_assets.domain.signatures import (
    SignatureRejected,
    canonicalise,
    is_generic,
    make_specific,
    merge_near_duplicates,
    normalise_signature,
    signature_problem,
)
from feedback_assets.domain.taxonomy import load_taxonomy


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Shift Swap -- Stuck!", "shift_swap_stuck"),
        ("__export__fails__", "export_fails"),
        ("42_export_fails", "export_fails"),
        ("a_" + "b" * 100, "a"),
    ],
)
def test_normalise_signature(raw, expected):
    assert normalise_signature(raw) == expected


@pytest.mark.parametrize(
    "signature",
    [
        "billing_question",
        "general_feedback",
        "login_issue",
        "export_problems",
        "other_misc",
        "general_export_slow",
    ],
)
def test_generic_forms_are_recognised(signature):
    assert is_generic(signature)
    assert "generic" in signature_problem(signature)


@pytest.mark.parametrize("signature", ["export", "Export_Fails", "x" * 81 + "_y"])
def test_malformed_forms_are_named(signature):
    assert "not lowercase snake_case" in signature_problem(signature)


@pytest.mark.parametrize(
    ("signature", "component", "symptoms", "expected"),
    [
        ("csv_export_slow", "csv_export", [], "csv_export_slow"),
        ("login_issue", "login", ["users are logged out every hour", "x"], "login_logged_out"),
        ("general_issue", "payroll_export", ["export is missing hours", "x"], "payroll_export_missing_data"),
        (
            "shift_templates_question",
            "schedule_templates",
            ["cannot find the button", "x"],
            "shift_templates_unclear",
        ),
        ("templates_question", "schedule_templates", ["where is it", "x"], "templates_unclear"),
        ("timesheet_approval_issue", "timesheets", ["x", "y"], "timesheet_approval"),
    ],
)
def test_generic_signatures_are_made_specific(signature, component, symptoms, expected):
    assert make_specific(signature, component=component, symptoms=symptoms) == expected


def test_a_signature_with_nothing_specific_is_rejected_with_its_name():
    with pytest.raises(
        SignatureRejected, match="generic signature 'general_issue' could not be made specific"
    ):
        make_specific("general_issue", component="general", symptoms=["hmm", "well"])


def test_canonicalisation_against_the_vocabulary():
    taxonomy = load_taxonomy()
    assert canonicalise("shift_swap_approval_stuck", taxonomy.vocabulary) == ("shift_swap_approval_stuck", True)
    # Same words in another order and inflection, any component.
    assert canonicalise("shift_swaps_stuck_approval", taxonomy.vocabulary) == ("shift_swap_approval_stuck", True)
    # Close enough within the same component.
    assert canonicalise("shift_swap_approval_stuck_pending", taxonomy.vocabulary, component="shift_swaps") == (
        "shift_swap_approval_stuck",
        True,
    )
    assert canonicalise("shift_swap_approval_stuck_pending", taxonomy.vocabulary, component="timesheets") == (
        "shift_swap_approval_stuck_pending",
        False,
    )
    assert canonicalise("kiosk_camera_blurry", taxonomy.vocabulary) == ("kiosk_camera_blurry", False)


def test_near_duplicates_merge_to_the_most_frequent_whatever_the_order():
    counts = {
        "shift_swap_fails": 3,
        "shift_swaps_failing": 2,
        "swap_shift_fail": 1,
        "login_error": 1,
        "timesheet_export_missing_hours": 2,
        "timesheet_export_missing_hours_overtime": 1,
    }
    expected = {
        "shift_swap_fails": "shift_swap_fails",
        "shift_swaps_failing": "shift_swap_fails",
        "swap_shift_fail": "shift_swap_fails",
        "login_error": "login_error",
        "timesheet_export_missing_hours": "timesheet_export_missing_hours",
        "timesheet_export_missing_hours_overtime": "timesheet_export_missing_hours",
    }
    items = list(counts.items())
    for seed in range(5):
        random.Random(seed).shuffle(items)
        assert merge_near_duplicates(dict(items)) == expected


def test_vocabulary_signatures_are_never_renamed_and_absorb_their_near_duplicates():
    mapping = merge_near_duplicates({"export_fails": 1, "exports_failing": 5}, fixed={"export_fails"})
    assert mapping == {"export_fails": "export_fails", "exports_failing": "export_fails"}
