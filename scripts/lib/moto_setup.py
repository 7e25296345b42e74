"""Prepares a moto_server started with INITIAL_NO_AUTH_ACTION_COUNT=7 for the AWS adapter's tests.

The first seven calls are not authenticated: they make an IAM user with a long-term access key and a
role it may assume. From then on moto checks every signature, so the tests really prove that the
adapter signs right. The user then assumes the role (a signed call) for temporary credentials with a
session token. Prints shell `export` lines for the tests.

Usage: python moto_setup.py http://127.0.0.1:PORT
"""

import json
import sys

import boto3

ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
TRUST_USER = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/gridbroker"}, "Action": "sts:AssumeRole"}],
})


def main(url):
    bootstrap = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    iam = boto3.client("iam", **bootstrap)
    iam.create_user(UserName="gridbroker")  # 1
    policy = iam.create_policy(PolicyName="all", PolicyDocument=ALLOW_ALL)["Policy"]["Arn"]  # 2
    iam.attach_user_policy(UserName="gridbroker", PolicyArn=policy)  # 3
    key = iam.create_access_key(UserName="gridbroker")["AccessKey"]  # 4
    role = iam.create_role(RoleName="gridbroker-temporary", AssumeRolePolicyDocument=TRUST_USER)["Role"]  # 5
    iam.attach_role_policy(RoleName="gridbroker-temporary", PolicyArn=policy)  # 6
    iam.get_role(RoleName="gridbroker-temporary")  # 7: the last call before authentication starts

    sts = boto3.client(
        "sts", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    temporary = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="gridbroker-tests")["Credentials"]
    # Authentication is on: a signed call with the temporary credentials must pass.
    boto3.client(
        "ec2", endpoint_url=url, region_name="us-east-1", aws_access_key_id=temporary["AccessKeyId"],
        aws_secret_access_key=temporary["SecretAccessKey"], aws_session_token=temporary["SessionToken"],
    ).describe_instances()

    for name, value in [
        ("GRIDBROKER_MOTO_URL", url),
        ("GRIDBROKER_MOTO_ACCESS_KEY_ID", key["AccessKeyId"]),
        ("GRIDBROKER_MOTO_SECRET_ACCESS_KEY", key["SecretAccessKey"]),
        ("GRIDBROKER_MOTO_TEMPORARY_ACCESS_KEY_ID", temporary["AccessKeyId"]),
        ("GRIDBROKER_MOTO_TEMPORARY_SECRET_ACCESS_KEY", temporary["SecretAccessKey"]),
        ("GRIDBROKER_MOTO_SESSION_TOKEN", temporary["SessionToken"]),
    ]:
        print(f"export {name}='{value}'")


if __name__ == "__main__":
    main(sys.argv[1])
