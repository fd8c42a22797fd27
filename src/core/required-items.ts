import type { Policy } from '../policy/types.js';
import type { Plan } from './plan.js';

export interface ChecklistItemDef {
  id: string;
  label: string;
  role: string;
  section: string;
  auto?: string;
}

/**
 * The checklist items a deployment must complete before it is ready: the ten mandatory
 * items, plus the customization review when the plan has custom modules, plus the
 * data-migration validation when it migrates data (policy "Pre-Deployment Requirements"), plus the
 * multi-entity items when it has entities (policy "Multi-Entity Deployment", issue 18).
 */
export function requiredChecklistItems(policy: Policy, plan: Plan): ChecklistItemDef[] {
  const items: ChecklistItemDef[] = policy.checklist.mandatory.map((i) => ({
    ...i,
    section: policy.checklist.section,
  }));
  if (plan.customModules.length > 0 || plan.kind === 'customization') {
    items.push(
      ...policy.customizationReview.items.map((i) => ({ ...i, section: policy.customizationReview.section })),
    );
  }
  if (plan.data.length > 0 || plan.kind === 'data-migration') {
    items.push(
      ...policy.dataMigrationValidation.items.map((i) => ({
        ...i,
        section: policy.dataMigrationValidation.section,
      })),
    );
  }
  const multi = policy.multiEntity;
  if (multi && (plan.entities.length > 0 || plan.kind === 'multi-entity')) {
    items.push(...multi.items.map((i) => ({ ...i, section: multi.section })));
  }
  return items;
}

/** Every checklist item the policy knows, for look-ups of ids that do not apply to this plan. */
export function allChecklistItems(policy: Policy): ChecklistItemDef[] {
  return [
    ...policy.checklist.mandatory.map((i) => ({ ...i, section: policy.checklist.section })),
    ...policy.customizationReview.items.map((i) => ({ ...i, section: policy.customizationReview.section })),
    ...policy.dataMigrationValidation.items.map((i) => ({
      ...i,
      section: policy.dataMigrationValidation.section,
    })),
    ...(policy.multiEntity?.items ?? []).map((i) => ({ ...i, section: policy.multiEntity!.section })),
  ];
}

/** Verification items that must pass for the technical sign-off (optional ones excluded). */
export function requiredVerificationItems(policy: Policy): { id: string; label: string }[] {
  const v = policy.verification;
  return [...v.functional, ...v.security, ...v.performance].filter((i) => !i.optional);
}

export function policyApplies(policy: Policy, plan: Plan): boolean {
  return policy.scope.environmentClasses.find((c) => c.id === plan.environment)?.policyApplies ?? true;
}
