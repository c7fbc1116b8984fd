/** The largest template `aws cloudformation deploy` sends inline; larger ones go through S3 (scripts/deploy.sh). */
export const INLINE_TEMPLATE_LIMIT = 51_200;
