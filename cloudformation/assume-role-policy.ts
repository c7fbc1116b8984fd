import { Refs } from './cloudform.js';

/** The trust policy of a role an AWS service assumes on this account's behalf only. */
export const assumedBy = (service: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': Refs.AccountId } },
    },
  ],
});
