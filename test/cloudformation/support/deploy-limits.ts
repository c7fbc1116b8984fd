/** The largest template `aws cloudformation deploy` sends inline; larger ones go through S3 (scripts/deploy.sh). */
export const INLINE_TEMPLATE_LIMIT = 51_200;
/** The largest template CloudFormation takes from S3. */
export const S3_TEMPLATE_LIMIT = 1_000_000;
