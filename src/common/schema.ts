import { Field, FieldOptions, Float, Int, ReturnTypeFuncValue } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { GraphQLScalarType, Kind, ValueNode } from 'graphql';

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return ast.values.map(literal);
    default:
      return null;
  }
}

/** Free-form JSON (label maps, env maps, engine messages), the same shape as in REST. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (used for label and env maps)',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});

type PropType = 'string' | 'int' | 'float' | 'boolean' | 'json' | (new (...args: any[]) => any) | object;

interface PropOptions {
  optional?: boolean;
  array?: boolean;
  description?: string;
  enum?: readonly string[];
  example?: unknown;
}

function gqlType(t: PropType): ReturnTypeFuncValue {
  switch (t) {
    case 'string':
      return String;
    case 'int':
      return Int;
    case 'float':
      return Float;
    case 'boolean':
      return Boolean;
    case 'json':
      return JSONScalar;
    default:
      return t as ReturnTypeFuncValue;
  }
}

function apiType(t: PropType): ApiPropertyOptions['type'] {
  switch (t) {
    case 'string':
      return String;
    case 'int':
      return 'integer';
    case 'float':
      return Number;
    case 'boolean':
      return Boolean;
    case 'json':
      return Object;
    default:
      return t as ApiPropertyOptions['type'];
  }
}

/**
 * One declaration of a field for both the GraphQL schema and the OpenAPI document, so the two
 * contracts cannot drift apart. `enumType` objects registered with registerEnumType work too.
 */
export function Prop(type: PropType, opts: PropOptions = {}): PropertyDecorator {
  const gql: FieldOptions = { nullable: opts.optional, description: opts.description };
  const t = gqlType(type);
  const field = Field(() => (opts.array ? [t] : t), gql);
  const api: ApiPropertyOptions = {
    required: !opts.optional,
    description: opts.description,
    isArray: opts.array,
    ...(opts.enum ? { enum: opts.enum as string[] } : { type: apiType(type) }),
    ...(opts.example !== undefined ? { example: opts.example } : {}),
    ...(opts.optional ? { nullable: true } : {}),
  } as ApiPropertyOptions;
  const apiDeco = type === 'json' ? ApiProperty({ ...api, type: 'object', additionalProperties: true } as ApiPropertyOptions) : ApiProperty(api);
  return (target, key) => {
    field(target, key);
    apiDeco(target, key);
  };
}
