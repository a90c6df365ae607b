enum GraphQLSupportPlaceholder {}
