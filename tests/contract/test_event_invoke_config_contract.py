"""Contract tests for Lambda's async invocation configuration, reserved concurrency and DLQ."""

# [REC] cases come from LocalStack's AWS snapshots: test_lambda_api.snapshot.json,
# TestLambdaEventInvokeConfig (25-11-2025), and test_lambda_destinations.snapshot.json,
# TestLambdaDLQ (24-11-2025).

from __future__ import annotations

import boto3
import pytest
from asyncgw_sandbox.seed import ensure_function
from botocore.config import Config
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:failed"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:done"
EMPTY_DESTINATIONS = {"OnSuccess": {}, "OnFailure": {}}


def lambda_error(call, status, code, message):
    """Check a Lambda error: status, code, message and, for modeled errors, "Type": "User"."""
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert (response["Error"]["Code"], response["Error"]["Message"]) == (code, message)
    if code != "ValidationException":
        assert response.get("Type") == "User"


def arn(name, qualifier=None):
    base = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"
    return f"{base}:{qualifier}" if qualifier else base


def no_config(name, qualifier="$LATEST"):
    return f"The function {arn(name, qualifier)} doesn't have an EventInvokeConfig"


@pytest.fixture
def fn(c):
    """The Lambda client of a fresh account holding the function "jobs"."""
    ensure_function(c, "jobs")
    return c.lambda_


def answer(response):
    response = dict(response)
    assert response.pop("ResponseMetadata")["HTTPStatusCode"] == 200
    assert response.pop("LastModified") is not None
    return response


def raw_client():
    """A client that sends what botocore's validation would refuse (values below the minimum)."""
    return boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    ).client("lambda", config=Config(parameter_validation=False))


def test_get_without_a_configuration_is_a_404_naming_the_qualified_arn(fn):
    lambda_error(lambda: fn.get_function_event_invoke_config(FunctionName="jobs"),
                 404, "ResourceNotFoundException", no_config("jobs"))


def test_put_answers_the_whole_configuration(fn):
    # [REC put_invokeconfig_retries_0]
    assert answer(fn.put_function_event_invoke_config(
        FunctionName="jobs", MaximumRetryAttempts=0)) == {
        "FunctionArn": arn("jobs", "$LATEST"),
        "MaximumRetryAttempts": 0,
        "DestinationConfig": EMPTY_DESTINATIONS,
    }


def test_put_overwrites_and_removes_the_settings_left_out(fn):
    # [REC put_pre_overwrite, put_post_overwrite, get_post_overwrite]
    fn.put_function_event_invoke_config(
        FunctionName="jobs", MaximumRetryAttempts=2, MaximumEventAgeInSeconds=60,
        DestinationConfig={"OnFailure": {"Destination": QUEUE}})
    fn.put_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=0)
    assert answer(fn.get_function_event_invoke_config(FunctionName="jobs")) == {
        "FunctionArn": arn("jobs", "$LATEST"),
        "MaximumRetryAttempts": 0,
        "DestinationConfig": EMPTY_DESTINATIONS,
    }


def test_update_changes_only_the_settings_given(fn):
    # [REC pre_update_response, update_response]
    fn.put_function_event_invoke_config(
        FunctionName="jobs", MaximumRetryAttempts=2, MaximumEventAgeInSeconds=60,
        DestinationConfig={"OnFailure": {"Destination": QUEUE}})
    updated = answer(fn.update_function_event_invoke_config(
        FunctionName="jobs", MaximumRetryAttempts=0))
    assert updated == {
        "FunctionArn": arn("jobs", "$LATEST"),
        "MaximumRetryAttempts": 0,
        "MaximumEventAgeInSeconds": 60,
        "DestinationConfig": {"OnSuccess": {}, "OnFailure": {"Destination": QUEUE}},
    }
    assert answer(fn.get_function_event_invoke_config(FunctionName="jobs")) == updated


def test_update_with_a_destination_config_replaces_both_destinations(fn):
    # [UNVERIFIED] the docs do not say whether OnSuccess and OnFailure merge: the sandbox
    # replaces the whole DestinationConfig, so a caller must send the one it wants to keep.
    fn.put_function_event_invoke_config(
        FunctionName="jobs", DestinationConfig={"OnSuccess": {"Destination": TOPIC}})
    updated = answer(fn.update_function_event_invoke_config(
        FunctionName="jobs", DestinationConfig={"OnFailure": {"Destination": QUEUE}}))
    assert updated["DestinationConfig"] == {"OnSuccess": {}, "OnFailure": {"Destination": QUEUE}}


def test_update_without_a_configuration_is_a_404(fn):
    # [REC update_eventinvokeconfig_config_doesnotexist_without_qualifier]
    lambda_error(
        lambda: fn.update_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=1),
        404, "ResourceNotFoundException", no_config("jobs"))


def test_update_does_not_add_a_second_configuration(fn):
    fn.put_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=1)
    fn.update_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=2)
    listed = fn.list_function_event_invoke_configs(FunctionName="jobs")
    assert [c["MaximumRetryAttempts"] for c in listed["FunctionEventInvokeConfigs"]] == [2]


@pytest.mark.parametrize("operation", ["put", "update"])
def test_a_call_without_settings_is_refused_before_the_function_is_looked_up(fn, operation):
    # [REC put_functionname_nootherargs]: checked even for a function that does not exist.
    call = getattr(fn, f"{operation}_function_event_invoke_config")
    lambda_error(lambda: call(FunctionName="doesnotexist"), 400,
                 "InvalidParameterValueException",
                 "You must specify at least one of error handling or destination setting.")


@pytest.mark.parametrize("destination", ["OnSuccess", "OnFailure"])
def test_an_empty_destination_is_a_setting_and_leaves_an_empty_configuration(fn, destination):
    # [REC put_destination_success_no_destination_arn, put_destination_failure_no_destination_arn]
    stored = answer(fn.put_function_event_invoke_config(
        FunctionName="jobs", DestinationConfig={destination: {}}))
    assert stored == {"FunctionArn": arn("jobs", "$LATEST"),
                      "DestinationConfig": EMPTY_DESTINATIONS}
    assert answer(fn.get_function_event_invoke_config(FunctionName="jobs")) == stored


def test_a_put_of_no_settings_is_refused_on_an_existing_function_too(fn):
    # Recorded for a function that does not exist, checked before the lookup [REC
    # put_functionname_nootherargs]; for an existing one the same 400 is [UNVERIFIED].
    lambda_error(lambda: fn.put_function_event_invoke_config(FunctionName="jobs"), 400,
                 "InvalidParameterValueException",
                 "You must specify at least one of error handling or destination setting.")


@pytest.mark.parametrize("name", ["doesnotexist", arn("doesnotexist")])
def test_put_for_a_function_that_does_not_exist(fn, name):
    # [REC put_functionname_name_notfound, put_functionname_arn_notfound]
    lambda_error(
        lambda: fn.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1),
        404, "ResourceNotFoundException", "The function doesn't exist.")


@pytest.mark.parametrize(
    ("settings", "violation"),
    [
        ({"MaximumRetryAttempts": 3},
         "Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have "
         "value less than or equal to 2"),
        ({"MaximumEventAgeInSeconds": 21601},
         "Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must "
         "have value less than or equal to 21600"),
        ({"MaximumEventAgeInSeconds": 59},
         "Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must "
         "have value greater than or equal to 60"),
        ({"MaximumRetryAttempts": -1},
         "Value '-1' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have "
         "value greater than or equal to 0"),
    ],
)
def test_out_of_range_settings_are_a_validation_exception(fn, settings, violation):
    # The model's ranges [MODEL]; the error class and text follow the recorded pattern
    # violation of the same operation [REC put_destination_invalid_arn_pattern] [UNVERIFIED].
    lambda_error(
        lambda: raw_client().put_function_event_invoke_config(FunctionName="jobs", **settings),
        400, "ValidationException", f"1 validation error detected: {violation}")


def test_the_range_limits_themselves_are_accepted(fn):
    # [REC put_maxevent_maxvalue_result]
    for retries, age in ((0, 60), (2, 21600)):
        stored = answer(fn.put_function_event_invoke_config(
            FunctionName="jobs", MaximumRetryAttempts=retries, MaximumEventAgeInSeconds=age))
        assert (stored["MaximumRetryAttempts"], stored["MaximumEventAgeInSeconds"]) == (
            retries, age)


def test_destinations_lambda_refuses(c, fn):
    other = ensure_function(c, "other")
    assert answer(fn.put_function_event_invoke_config(  # [REC put_destination_other_lambda]
        FunctionName="jobs", DestinationConfig={"OnSuccess": {"Destination": other}},
    ))["DestinationConfig"] == {"OnSuccess": {"Destination": other}, "OnFailure": {}}
    cases = [
        ({"OnSuccess": {"Destination": arn("doesnotexist")}},
         f"The destination ARN {arn('doesnotexist')} is invalid."),
        ({"OnSuccess": {"Destination": arn("jobs")}},
         "You can't specify the function as a destination for itself."),
        ({"OnSuccess": {"Destination": arn("jobs").replace(":lambda:", ":iam:")}},
         "The provided destination config DestinationConfig(onSuccess=OnSuccess(destination="
         f"{arn('jobs').replace(':lambda:', ':iam:')}), onFailure=null) is invalid."),
    ]
    for destinations, message in cases:  # [REC put_destination_*]
        lambda_error(lambda d=destinations: fn.put_function_event_invoke_config(
            FunctionName="jobs", DestinationConfig=d),
            400, "InvalidParameterValueException", message)


def test_a_destination_that_is_not_an_arn_is_a_validation_exception(fn):
    bad = arn("jobs").replace(":lambda:", ":_-/!lambda:")
    with pytest.raises(ClientError) as caught:  # [REC put_destination_invalid_arn_pattern]
        fn.put_function_event_invoke_config(
            FunctionName="jobs", DestinationConfig={"OnFailure": {"Destination": bad}})
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"].startswith(
        f"1 validation error detected: Value '{bad}' at 'destinationConfig.onFailure.destination'"
        " failed to satisfy constraint: Member must satisfy regular expression pattern: $|kafka")


def test_an_s3_bucket_is_an_on_failure_destination_only(fn):
    bucket = "arn:aws:s3:::failed-events"
    stored = answer(fn.put_function_event_invoke_config(
        FunctionName="jobs", DestinationConfig={"OnFailure": {"Destination": bucket}}))
    assert stored["DestinationConfig"]["OnFailure"] == {"Destination": bucket}
    with pytest.raises(ClientError, match="is invalid"):  # [MODEL]; the text is [UNVERIFIED]
        fn.put_function_event_invoke_config(
            FunctionName="jobs", DestinationConfig={"OnSuccess": {"Destination": bucket}})


def test_each_version_and_alias_has_its_own_configuration(fn):
    version = fn.publish_version(FunctionName="jobs")["Version"]
    fn.create_alias(FunctionName="jobs", Name="live", FunctionVersion=version)
    lambda_error(  # [REC get_invokeconfig_postpublish]
        lambda: fn.get_function_event_invoke_config(FunctionName="jobs", Qualifier=version),
        404, "ResourceNotFoundException", no_config("jobs", version))
    fn.put_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=0)
    stored = answer(fn.put_function_event_invoke_config(
        FunctionName="jobs", Qualifier=version, MaximumEventAgeInSeconds=120))
    assert stored["FunctionArn"] == arn("jobs", version)  # [REC put_published_invokeconfig]
    by_shorthand = answer(fn.put_function_event_invoke_config(
        FunctionName="jobs:live", MaximumRetryAttempts=1))
    assert by_shorthand["FunctionArn"] == arn("jobs", "live")  # [REC put_alias_shorthand]
    assert answer(fn.get_function_event_invoke_config(
        FunctionName=arn("jobs"), Qualifier="live"))["MaximumRetryAttempts"] == 1
    listed = fn.list_function_event_invoke_configs(FunctionName="jobs")
    assert sorted(c["FunctionArn"] for c in listed["FunctionEventInvokeConfigs"]) == sorted(
        [arn("jobs", "$LATEST"), arn("jobs", version), arn("jobs", "live")])  # [REC list_configs]


def test_qualifier_errors(fn):
    version = fn.publish_version(FunctionName="jobs")["Version"]
    lambda_error(  # [REC put_shorthand_qualifier_mismatch_1]
        lambda: fn.put_function_event_invoke_config(
            FunctionName=f"jobs:{version}", Qualifier="$LATEST", MaximumRetryAttempts=1),
        400, "InvalidParameterValueException",
        "The derived qualifier from the function name does not match the specified qualifier.")
    lambda_error(  # [REC put_alias_doesnotexist]
        lambda: fn.put_function_event_invoke_config(
            FunctionName="jobs", Qualifier="nosuchalias", MaximumRetryAttempts=1),
        404, "ResourceNotFoundException", "The function doesn't exist.")
    lambda_error(  # [REC get_qualifier_doesnotexist]
        lambda: fn.get_function_event_invoke_config(FunctionName="jobs", Qualifier="nosuchalias"),
        404, "ResourceNotFoundException", no_config("jobs", "nosuchalias"))


def test_delete_answers_204_then_the_configuration_is_gone(fn):
    fn.put_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=1)
    deleted = fn.delete_function_event_invoke_config(FunctionName="jobs")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204  # [REC delete_latest]
    assert fn.list_function_event_invoke_configs(FunctionName="jobs")[
        "FunctionEventInvokeConfigs"] == []  # [REC list_configs_postdelete]
    lambda_error(lambda: fn.delete_function_event_invoke_config(FunctionName="jobs"),
                 404, "ResourceNotFoundException", no_config("jobs"))  # [REC delete_function_*]
    lambda_error(lambda: fn.delete_function_event_invoke_config(FunctionName="doesnotexist"),
                 404, "ResourceNotFoundException", no_config("doesnotexist"))


def test_list_pages_and_refuses_an_unknown_function(fn):
    version = fn.publish_version(FunctionName="jobs")["Version"]
    fn.create_alias(FunctionName="jobs", Name="live", FunctionVersion=version)
    for qualifier in ("$LATEST", version, "live"):
        fn.put_function_event_invoke_config(
            FunctionName="jobs", Qualifier=qualifier, MaximumRetryAttempts=1)
    first = fn.list_function_event_invoke_configs(FunctionName="jobs", MaxItems=2)
    assert len(first["FunctionEventInvokeConfigs"]) == 2
    rest = fn.list_function_event_invoke_configs(
        FunctionName="jobs", MaxItems=2, Marker=first["NextMarker"])
    assert len(rest["FunctionEventInvokeConfigs"]) == 1
    assert "NextMarker" not in rest
    lambda_error(lambda: fn.list_function_event_invoke_configs(FunctionName="doesnotexist"),
                 404, "ResourceNotFoundException", "The function doesn't exist.")


def test_deleting_the_function_drops_its_configurations(c, fn):
    fn.put_function_event_invoke_config(FunctionName="jobs", MaximumRetryAttempts=1)
    fn.delete_function(FunctionName="jobs")
    ensure_function(c, "jobs")
    lambda_error(lambda: fn.get_function_event_invoke_config(FunctionName="jobs"),
                 404, "ResourceNotFoundException", no_config("jobs"))


def test_reserved_concurrency_reads_back_including_zero(fn):
    assert "ReservedConcurrentExecutions" not in fn.get_function_concurrency(FunctionName="jobs")
    assert "Concurrency" not in fn.get_function(FunctionName="jobs")
    for reserved in (5, 0):
        fn.put_function_concurrency(FunctionName="jobs", ReservedConcurrentExecutions=reserved)
        assert fn.get_function_concurrency(FunctionName="jobs")[
            "ReservedConcurrentExecutions"] == reserved
        assert fn.get_function(FunctionName="jobs")["Concurrency"] == {
            "ReservedConcurrentExecutions": reserved}  # 0 included [MODEL]
    fn.delete_function_concurrency(FunctionName="jobs")
    assert "ReservedConcurrentExecutions" not in fn.get_function_concurrency(FunctionName="jobs")


def test_dead_letter_config_is_kept_from_create_and_update(c, fn):
    assert "DeadLetterConfig" not in fn.get_function_configuration(FunctionName="jobs")
    fn.update_function_configuration(FunctionName="jobs", DeadLetterConfig={"TargetArn": QUEUE})
    assert fn.get_function_configuration(FunctionName="jobs")["DeadLetterConfig"] == {
        "TargetArn": QUEUE}  # [REC TestLambdaDLQ create_lambda_with_dlq]
    assert fn.get_function(FunctionName="jobs")["Configuration"]["DeadLetterConfig"] == {
        "TargetArn": QUEUE}
    fn.update_function_configuration(FunctionName="jobs", DeadLetterConfig={"TargetArn": ""})
    assert "DeadLetterConfig" not in fn.get_function_configuration(FunctionName="jobs")

    created = fn.create_function(
        FunctionName="with-dlq", Runtime="python3.12", Handler="index.handler",
        Role=fn.get_function_configuration(FunctionName="jobs")["Role"],
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
        DeadLetterConfig={"TargetArn": TOPIC})
    assert created["DeadLetterConfig"] == {"TargetArn": TOPIC}
