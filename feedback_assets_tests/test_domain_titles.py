"""Story titles: a defect by component and symptom, a question or request in the customers' words, and never
a template with a gap."""

from feedback_assets.domain.titles import MAX_TITLE, component_label, story_title


def test_a_defect_names_the_component_the_feature_and_what_goes_wrong():
    title = story_title("product_issue", component="open_shifts", feature="publish",
                        symptom="the feature is very slow or times out", customer_texts=[])
    assert title == "Open shifts (publish): the feature is very slow or times out"
    same = story_title("product_issue", component="calendar_sync", feature="calendar",
                       symptom="items appear twice", customer_texts=[])
    assert same == "Calendar sync: items appear twice"  # the feature adds nothing to the label


def test_a_question_is_the_customers_own_question_naming_the_feature():
    texts = [
        "Hi there. How do we fix this? Our managers are confused.",
        "How do i print the schedule for the break room? Thanks!",
        "How do I print the schedule? It should be simple.",
    ]
    assert story_title("how_to_question", component="schedule_view", feature="print schedule",
                       symptom="", customer_texts=texts) == "How do I print the schedule?"


def test_a_request_is_the_customers_request_else_support_for_the_feature():
    texts = ["Please add a bulk edit for wages, e.g. Thanks.", "Could you add an Outlook sync for shifts, please?"]
    assert story_title("feature_request", component="calendar_sync", feature="outlook",
                       symptom="", customer_texts=texts) == "Could you add an Outlook sync for shifts, please?"
    assert story_title("feature_request", component="locations", feature="custom profiles",
                       symptom="", customer_texts=["We need this."]) == "Locations: support for custom profiles"


def test_no_gaps_and_no_overlong_titles():
    bare = story_title("product_issue", component=None, feature="", symptom="the app crashes", customer_texts=[])
    assert bare == "The app crashes"
    assert story_title("how_to_question", component=None, feature="", symptom="", customer_texts=[]) == "How-to questions"
    long = story_title("product_issue", component="shift_editor", feature="x " * 100, symptom="y " * 100, customer_texts=[])
    assert len(long) <= MAX_TITLE and long.endswith("…")
    assert component_label("unmapped") == "" and component_label("shift_editor") == "Shift editor"
