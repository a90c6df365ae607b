/// The introspection queries clients actually send (the generator also wanders into
/// introspection at random through `__schema` and `__type`), minus what GraphQLSwift answers
/// against the spec: `args` always with `includeDeprecated: true`, input fields without their
/// `defaultValue` (allowed differences 9 and 11).
enum IntrospectionDocuments {
    /// What GraphiQL and code generators ask: the whole schema, type references seven levels deep.
    static let full = """
        query IntrospectionQuery {
          __schema {
            description
            queryType { name }
            mutationType { name }
            subscriptionType { name }
            types { ...FullType }
            directives {
              name
              description
              isRepeatable
              locations
              args(includeDeprecated: true) { ...InputValue }
            }
          }
        }
        fragment FullType on __Type {
          kind
          name
          description
          specifiedByURL
          fields(includeDeprecated: true) {
            name
            description
            args(includeDeprecated: true) { ...InputValue }
            type { ...TypeRef }
            isDeprecated
            deprecationReason
          }
          inputFields { name description type { ...TypeRef } }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) {
            name
            description
            isDeprecated
            deprecationReason
          }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue {
          name
          description
          type { ...TypeRef }
          defaultValue
        }
        fragment TypeRef on __Type {
          kind
          name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
        }
        """

    static let typesAndFields = "{ __schema { types { name kind fields { name type { name kind ofType { name } } } } } }"

    static let typeByName = """
        query TypeByName($name: String!) {
          __type(name: $name) {
            name kind description specifiedByURL
            fields { name isDeprecated args(includeDeprecated: true) { name defaultValue type { name kind ofType { name kind } } } }
            deprecated: fields(includeDeprecated: true) { name isDeprecated deprecationReason }
            enumValues { name } allValues: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason }
            inputFields { name type { kind name ofType { kind name ofType { kind name } } } }
            interfaces { name } possibleTypes { name }
            ofType { name }
          }
        }
        """

    static let schemaRoots = """
        {
          __schema {
            queryType { name kind } mutationType { name fields { name } } subscriptionType { name }
            directives { name isRepeatable locations args(includeDeprecated: true) { name defaultValue type { kind name ofType { kind name } } } }
          }
          __typename
        }
        """
}
