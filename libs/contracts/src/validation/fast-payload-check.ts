import { getMetadataStorage, ValidationTypes } from 'class-validator';

type Check = (object: Record<string, unknown>) => boolean;

interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  validators: { validate: (value: unknown, args: object) => unknown; each: boolean; constraints: unknown[] }[];
}

const SUPPORTED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.WHITELIST,
]);

/**
 * A yes/no check built once per payload class from its class-validator metadata, running the
 * same constraint functions in the same way as `validateSync(obj, { whitelist,
 * forbidNonWhitelisted })`, without the per-call metadata lookups and error objects (several
 * times faster; every consumed message passes here). Only a "yes" is trusted: on "no" the caller
 * runs class-validator for the reasons. Returns null for classes it cannot plan (nested or
 * async validation), which then always go through class-validator.
 */
export function compilePayloadCheck(target: new () => object): Check | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, '', false, false);
  if (metadatas.length === 0 || metadatas.some((m) => !SUPPORTED.has(m.type))) return null;
  const byProperty = storage.groupByPropertyName(metadatas);
  const plans: PropertyPlan[] = [];
  for (const [name, propertyMetadatas] of Object.entries(byProperty)) {
    const plan: PropertyPlan = { name, conditions: [], validators: [] };
    for (const metadata of propertyMetadatas) {
      if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        plan.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
      } else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION || metadata.type === ValidationTypes.IS_DEFINED) {
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return null;
          const instance = constraint.instance as { validate: (value: unknown, args: object) => unknown };
          plan.validators.push({ validate: instance.validate.bind(instance), each: metadata.each === true, constraints: metadata.constraints });
        }
      }
    }
    plans.push(plan);
  }
  const allowed = new Set(plans.map((p) => p.name));
  const targetName = target.name;

  return (object) => {
    for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key) && !allowed.has(key)) return false;
    for (const plan of plans) {
      const value = object[plan.name];
      let applies = true;
      for (const condition of plan.conditions) applies = condition(object, value) && applies;
      if (!applies) continue;
      for (const validator of plan.validators) {
        const args = { targetName, property: plan.name, object, value, constraints: validator.constraints };
        if (validator.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
          for (const item of Array.isArray(value) ? value : [...value.values()]) if (validator.validate(item, args) !== true) return false;
        } else if (validator.validate(value, args) !== true) return false;
      }
    }
    return true;
  };
}
