/**
 * The part of CloudWatch Logs' JSON filter pattern syntax the stack's metric filters use, so a
 * test can run them on real log lines: `{ $.a.b = "text" && ($.c = 1 || $.d >= 2) }`, with
 * `=`, `!=`, `<`, `<=`, `>`, `>=`, string, number and `*` (any value) literals, `&&`, `||`
 * and parentheses. As in CloudWatch, a comparison with a field the event lacks is false.
 * It throws on anything else, so a pattern outside the subset fails its test loudly.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TOKEN = /\s*(\$\.[A-Za-z0-9_.-]+|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|\*|&&|\|\||!=|>=|<=|=|<|>|\(|\)|\{|\})/y;

function tokenize(pattern: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < pattern.trimEnd().length) {
    const match = TOKEN.exec(pattern);
    if (match === null) throw new Error(`cannot read the filter pattern at ${TOKEN.lastIndex}: ${pattern}`);
    tokens.push(match[1] as string);
  }
  return tokens;
}

/** The value at `$.a.b`, or undefined when the event lacks it. */
export function selectValue(event: Json, selector: string): Json | undefined {
  let node: Json | undefined = event;
  for (const key of selector.replace(/^\$\./, '').split('.')) {
    node = node !== null && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function compare(value: Json | undefined, operator: string, literal: string): boolean {
  if (value === undefined) return false;
  if (literal === '*') return operator === '=';
  if (literal.startsWith('"')) {
    if (typeof value !== 'string') return false;
    const text = JSON.parse(literal) as string;
    const equal = new RegExp(
      `^${text
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(value);
    if (operator === '=') return equal;
    if (operator === '!=') return !equal;
    throw new Error(`${operator} on a string`);
  }
  if (typeof value !== 'number') return false;
  const number = Number(literal);
  switch (operator) {
    case '=':
      return value === number;
    case '!=':
      return value !== number;
    case '<':
      return value < number;
    case '<=':
      return value <= number;
    case '>':
      return value > number;
    case '>=':
      return value >= number;
    default:
      throw new Error(`unknown operator ${operator}`);
  }
}

/** True when the JSON log event matches the pattern. */
export function matchesFilterPattern(pattern: string, event: Json): boolean {
  const tokens = tokenize(pattern);
  let at = 0;
  const next = () => tokens[at++] ?? '';
  const expect = (token: string) => {
    if (next() !== token) throw new Error(`expected ${token} at token ${at - 1} of ${pattern}`);
  };
  const atom = (): boolean => {
    if (tokens[at] === '(') {
      next();
      const result = or();
      expect(')');
      return result;
    }
    const selector = next();
    if (!selector.startsWith('$.')) throw new Error(`expected a $.selector at token ${at - 1} of ${pattern}`);
    const operator = next();
    return compare(selectValue(event, selector), operator, next());
  };
  const and = (): boolean => {
    let result = atom();
    while (tokens[at] === '&&') {
      next();
      result = atom() && result;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (tokens[at] === '||') {
      next();
      result = and() || result;
    }
    return result;
  };
  expect('{');
  const result = or();
  expect('}');
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]} in ${pattern}`);
  return result;
}
