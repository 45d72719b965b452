/** The roles a token can have, each including the one before: the vocabulary of AUTH_TOKENS_FILE and CHATOPS_SLACK_ROLE. */
export const ROLES = ['viewer', 'scaler', 'deployer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
