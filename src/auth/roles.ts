export const roles = ['admin', 'marketer', 'analyst'] as const;
export type Role = (typeof roles)[number];
