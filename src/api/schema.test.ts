import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType } from 'graphql';
import { printApiSchema, SCHEMA_SDL_FILE } from './printSchema';
import { schema } from './schema';

test('every type, field, argument and enum value of the API has a description', () => {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || type.name in { String: 1, Int: 1, Boolean: 1, ID: 1, Float: 1 }) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the committed SDL (src/api/schema.generated.graphql) matches the schema: run node lib/api/printSchema.js after a change', () => {
  assert.equal(fs.readFileSync(SCHEMA_SDL_FILE, 'utf8'), printApiSchema());
});
