// Tag names the agents are trained on (first of each list) and the synonyms small models emit instead.
// Accepting a synonym records a `tag_synonym` issue.
export const PROBLEM = ['problem', 'exemplar', 'example'];
export const DESCRIPTION = ['description', 'problem_description', 'problem_statement', 'statement'];
export const CODE = ['code', 'source_code', 'solution_code', 'solution'];
export const PLANNING = ['planning', 'plan'];
export const ALGORITHM = ['algorithm', 'algorithms', 'algorithm_tutorial', 'tutorial'];
export const EXPLANATION = ['explanation', 'reasoning', 'reason'];
export const CONFIDENCE = ['confidence', 'confidence_score', 'score'];
/** The debugging agent's optional XML shape and a wrapped plan say `plan` first. */
export const PLAN = ['plan', 'planning'];
