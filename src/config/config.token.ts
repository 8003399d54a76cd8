// Nest injection token for the parsed configuration.
export const CONFIG = Symbol('CONFIG');
