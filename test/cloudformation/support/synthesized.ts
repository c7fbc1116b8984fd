import { buildTemplate } from '../../../cloudformation/template.js';
import { CHECK_IMAGE_URI, resolveTemplate, VARIANTS, type TemplateJson } from './resolve-template.js';

/** The synthesised template as the checks read it: plain JSON. */
export function synthesizedTemplate(): TemplateJson {
  return buildTemplate() as unknown as TemplateJson;
}

/** One resolved template per parameter variant, as CloudFormation would create it. */
export function resolvedVariants(): Array<{ name: string; template: TemplateJson }> {
  const template = synthesizedTemplate();
  return VARIANTS.map((variant) => ({
    name: variant.name,
    template: resolveTemplate(template, { ImageUri: CHECK_IMAGE_URI, ...variant.parameters }),
  }));
}
