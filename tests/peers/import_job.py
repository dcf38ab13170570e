"""Cognito's user import job, driven by boto3 against `cognito-console serve`: the CSV
header from GetCSVHeader, the CSV PUT to the job's pre-signed URL as to S3, the job
started and watched to the end, its counts, and the imported users in RESET_REQUIRED.

Run by tests/bulk.rs with one argument, the serve endpoint. Every step asserts; the script
exits non-zero on the first failure, saying which step it was.
"""

import csv
import io
import sys
import time
import urllib.error
import urllib.request

import peer
from peer import refused, step

endpoint = sys.argv[1]
idp = peer.client(endpoint)
ROLE = "arn:aws:iam::123456789012:role/CognitoImport"




def put(url, body):
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "x-amz-server-side-encryption": "aws:kms", "Content-Type": "text/csv"})
    try:
        with urllib.request.urlopen(request) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


pool = idp.create_user_pool(PoolName="imports", Schema=[
    {"Name": "team", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "16"}}])["UserPool"]["Id"]
idp.admin_create_user(UserPoolId=pool, Username="taken", MessageAction="SUPPRESS")

step("GetCSVHeader gives Cognito's columns with the pool's custom attribute")
header = idp.get_csv_header(UserPoolId=pool)["CSVHeader"]
assert header[0] == "name" and header[-2:] == ["cognito:mfa_enabled", "cognito:username"], header
assert "custom:team" in header, header

step("a CSV of 60 good rows and 4 bad ones")
out = io.StringIO()
writer = csv.DictWriter(out, fieldnames=header)
writer.writeheader()
for i in range(60):
    writer.writerow({"cognito:username": f"imported{i:02}", "email": f"i{i}@example.com",
                     "email_verified": "true", "custom:team": "blue", "cognito:mfa_enabled": "false"})
writer.writerow({"cognito:username": "unverified", "email": "u@example.com", "email_verified": "false",
                 "cognito:mfa_enabled": "false"})
writer.writerow({"cognito:username": "bademail", "email": "nope", "email_verified": "true",
                 "cognito:mfa_enabled": "false"})
writer.writerow({"cognito:username": "taken", "email": "t@example.com", "email_verified": "true",
                 "cognito:mfa_enabled": "false"})
writer.writerow({"cognito:username": "longteam", "email": "l@example.com", "email_verified": "true",
                 "custom:team": "x" * 17, "cognito:mfa_enabled": "false"})
body = out.getvalue().encode()

step("the job is Created with a pre-signed URL that takes the CSV once")
job = idp.create_user_import_job(JobName="first", UserPoolId=pool, CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
assert job["Status"] == "Created" and job["JobId"].startswith("import-"), job
url = job["PreSignedUrl"]
assert put(url.replace("token=", "token=x"), body) == 403, "a wrong token uploads"
assert put(url, body) == 200

step("started, it runs to Succeeded with its counts")
started = idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
assert started["Status"] in ("Pending", "InProgress", "Succeeded"), started
for _ in range(200):
    described = idp.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
    if described["Status"] not in ("Pending", "InProgress"):
        break
    time.sleep(0.05)
assert described["Status"] == "Succeeded", described
assert (described["ImportedUsers"], described["FailedUsers"], described["SkippedUsers"]) == (60, 4, 0), described
assert "CompletionDate" in described and "StartDate" in described, described
refused(lambda: idp.start_user_import_job(UserPoolId=pool, JobId=job["JobId"]), "PreconditionNotMetException")
assert put(url, body) >= 400, "a started job's CSV changed"

step("imported users are RESET_REQUIRED, with their attributes")
user = idp.admin_get_user(UserPoolId=pool, Username="imported07")
assert user["UserStatus"] == "RESET_REQUIRED", user
attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
assert attrs["email"] == "i7@example.com" and attrs["custom:team"] == "blue", attrs
refused(lambda: idp.admin_get_user(UserPoolId=pool, Username="unverified"), "UserNotFoundException")

step("jobs are listed, and a Created job stops")
second = idp.create_user_import_job(JobName="second", UserPoolId=pool, CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
stopped = idp.stop_user_import_job(UserPoolId=pool, JobId=second["JobId"])["UserImportJob"]
assert stopped["Status"] == "Stopped", stopped
listed = idp.list_user_import_jobs(UserPoolId=pool, MaxResults=1)
assert len(listed["UserImportJobs"]) == 1 and "PaginationToken" in listed, listed
rest = idp.list_user_import_jobs(UserPoolId=pool, MaxResults=10, PaginationToken=listed["PaginationToken"])
ids = {j["JobId"] for j in listed["UserImportJobs"] + rest["UserImportJobs"]}
assert ids == {job["JobId"], second["JobId"]}, ids

step("a job started with no CSV fails and says why")
third = idp.create_user_import_job(JobName="third", UserPoolId=pool, CloudWatchLogsRoleArn=ROLE)["UserImportJob"]
idp.start_user_import_job(UserPoolId=pool, JobId=third["JobId"])
for _ in range(200):
    d = idp.describe_user_import_job(UserPoolId=pool, JobId=third["JobId"])["UserImportJob"]
    if d["Status"] not in ("Pending", "InProgress"):
        break
    time.sleep(0.05)
assert d["Status"] == "Failed" and "CSV" in d["CompletionMessage"], d

print("all steps passed")
