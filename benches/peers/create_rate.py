"""boto3 creating users one after another (AdminCreateUser, SUPPRESS), as a script
would. Arguments: the endpoint, how many users, and `--temporary-password` to give each
a TemporaryPassword (as the Create user form does) rather than have one generated.
Prints one JSON line: users a second."""

import json
import sys
import time

import boto3

endpoint, n = sys.argv[1], int(sys.argv[2])
given = {"TemporaryPassword": "Temp-Passw0rd"} if "--temporary-password" in sys.argv[3:] else {}
idp = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
pool = idp.create_user_pool(PoolName="rate")["UserPool"]["Id"]
for i in range(20):
    idp.admin_create_user(UserPoolId=pool, Username=f"warm{i}", MessageAction="SUPPRESS")
start = time.perf_counter()
for i in range(n):
    idp.admin_create_user(UserPoolId=pool, Username=f"user{i:06}", MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "email", "Value": f"user{i}@example.com"}],
                          **given)
elapsed = time.perf_counter() - start
print(json.dumps({"users_per_second": n / elapsed}))
