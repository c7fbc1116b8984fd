#!/usr/bin/env bash
# Deploys the CloudFormation stack of the service.
#   npm run deploy -- --stack-name NAME --image URI [--s3-bucket BUCKET] [--region R]
#                     [--template-file FILE] [--parameter-overrides K=V ...]
# Synthesises the template (compact JSON) unless --template-file is given, then runs
# `aws cloudformation deploy`. Templates over CloudFormation's 51,200-byte inline limit
# go through --s3-bucket.
set -euo pipefail

readonly INLINE_LIMIT_BYTES=51200
readonly here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly repo="$(cd "${here}/.." && pwd)"

usage() {
  cat >&2 <<'USAGE'
usage: npm run deploy -- --stack-name NAME --image URI [--s3-bucket BUCKET] [--region REGION]
                         [--template-file FILE] [--parameter-overrides KEY=VALUE ...]
  --stack-name           CloudFormation stack to create or update (required)
  --image                container image URI, e.g. 123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/spaceout-crowd:1.0.0 (required)
  --s3-bucket            bucket for templates over 51,200 bytes
  --region               AWS region (default: the AWS CLI's)
  --template-file        deploy this template instead of synthesising one
  --parameter-overrides  further template parameters, e.g. LoadBalancerType=ALB MinTasks=3
USAGE
}

fail() {
  echo "deploy: $*" >&2
  usage
  exit 2
}

stack_name="" image="" bucket="" region="" template_file=""
overrides=()
while (($# > 0)); do
  case "$1" in
    --stack-name | --image | --s3-bucket | --region | --template-file)
      (($# >= 2)) && [[ -n "$2" && "$2" != --* ]] || fail "$1 needs a value"
      case "$1" in
        --stack-name) stack_name="$2" ;;
        --image) image="$2" ;;
        --s3-bucket) bucket="$2" ;;
        --region) region="$2" ;;
        --template-file) template_file="$2" ;;
      esac
      shift 2
      ;;
    --parameter-overrides)
      shift
      while (($# > 0)) && [[ "$1" != --* ]]; do
        [[ "$1" == *=* ]] || fail "parameter override '$1' is not KEY=VALUE"
        [[ "$1" != ImageUri=* ]] || fail "give the image with --image, not ImageUri="
        overrides+=("$1")
        shift
      done
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) fail "unknown argument '$1'" ;;
  esac
done

[[ -n "$stack_name" ]] || fail "--stack-name is required"
[[ "$stack_name" =~ ^[A-Za-z][A-Za-z0-9-]{0,127}$ ]] || fail "stack name '$stack_name' must start with a letter and hold only letters, digits and '-'"
[[ -n "$image" ]] || fail "--image is required"
command -v aws >/dev/null || { echo "deploy: the AWS CLI (aws) is not on PATH" >&2; exit 1; }

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
if [[ -n "$template_file" ]]; then
  [[ -f "$template_file" ]] || fail "template file '$template_file' does not exist"
  template="$template_file"
else
  template="${workdir}/template.json"
  (cd "$repo" && npx --no-install tsx cloudformation/synth.ts --compact --out "$template")
fi

size=$(wc -c <"$template")
args=(cloudformation deploy
  --template-file "$template"
  --stack-name "$stack_name"
  --capabilities CAPABILITY_IAM
  --no-fail-on-empty-changeset)
[[ -z "$region" ]] || args+=(--region "$region")
if ((size > INLINE_LIMIT_BYTES)); then
  [[ -n "$bucket" ]] || {
    echo "deploy: the template is ${size} bytes, over CloudFormation's ${INLINE_LIMIT_BYTES}-byte inline limit: give --s3-bucket BUCKET to upload it" >&2
    exit 2
  }
  args+=(--s3-bucket "$bucket")
elif [[ -n "$bucket" ]]; then
  args+=(--s3-bucket "$bucket")
fi
args+=(--parameter-overrides "ImageUri=${image}" ${overrides[@]+"${overrides[@]}"})

echo "deploy: ${stack_name} (${size}-byte template)" >&2
exec aws "${args[@]}"
