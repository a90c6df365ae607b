import GraphQL
import Testing
@testable import Gateway
import OrderedCollections

/// Snapshot tests: the expected `QueryPlan.description` for operations on the storefront
/// fixture. A change here is a change in what the gateway sends to subgraphs: review it as such.
@Suite("Query planner")
struct QueryPlannerTests {
    let planner: QueryPlanner

    init() throws {
        planner = QueryPlanner(supergraph: try StorefrontSubgraphs.supergraph())
    }

    @Test("entities nested across three subgraphs: one batched fetch per subgraph and level")
    func nestedEntitiesAcrossThreeSubgraphs() throws {
        expectPlan(#"query Nested { topProducts { name reviews { body author { username } } } }"#, #"""
            QueryPlan {
              Sequence {
                Fetch(service: "products") {
                  {
                    topProducts {
                      name
                      __typename
                      upc
                    }
                  }
                },
                Flatten(path: "topProducts.@") {
                  Fetch(service: "reviews") {
                    {
                      ... on Product {
                        __typename
                        upc
                      }
                    } =>
                    {
                      ... on Product {
                        reviews {
                          body
                          author {
                            __typename
                            id
                          }
                        }
                      }
                    }
                  },
                },
                Flatten(path: "topProducts.@.reviews.@.author") {
                  Fetch(service: "accounts") {
                    {
                      ... on User {
                        __typename
                        id
                      }
                    } =>
                    {
                      ... on User {
                        username
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("@requires: the required fields are fetched first and sent in the representations")
    func requiresFieldsTravelInRepresentations() throws {
        expectPlan(#"{ topProducts { shippingEstimate } }"#, #"""
            QueryPlan {
              Sequence {
                Fetch(service: "products") {
                  {
                    topProducts {
                      __typename
                      upc
                      price
                      weight
                    }
                  }
                },
                Flatten(path: "topProducts.@") {
                  Fetch(service: "inventory") {
                    {
                      ... on Product {
                        __typename
                        upc
                        price
                        weight
                      }
                    } =>
                    {
                      ... on Product {
                        shippingEstimate
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("@provides: the reviews subgraph answers the author's name itself")
    func providesSavesAFetch() throws {
        expectPlan(#"{ topProducts { reviews { author { name } } } }"#, #"""
            QueryPlan {
              Sequence {
                Fetch(service: "products") {
                  {
                    topProducts {
                      __typename
                      upc
                    }
                  }
                },
                Flatten(path: "topProducts.@") {
                  Fetch(service: "reviews") {
                    {
                      ... on Product {
                        __typename
                        upc
                      }
                    } =>
                    {
                      ... on Product {
                        reviews {
                          author {
                            name
                          }
                        }
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("interfaces: per-implementation fields from another subgraph go in one _entities call")
    func interfaceImplementationsBatchTogether() throws {
        expectPlan(#"{ items { __typename name ... on Book { author inStock } ... on Product { price inStock } } }"#, #"""
            QueryPlan {
              Sequence {
                Fetch(service: "products") {
                  {
                    items {
                      __typename
                      name
                      ... on Book {
                        author
                        __typename
                        upc
                      }
                      ... on Product {
                        price
                        __typename
                        upc
                      }
                    }
                  }
                },
                Flatten(path: "items.@") {
                  Fetch(service: "inventory") {
                    {
                      ... on Book {
                        __typename
                        upc
                      }
                      ... on Product {
                        __typename
                        upc
                      }
                    } =>
                    {
                      ... on Book {
                        inStock
                      }
                      ... on Product {
                        inStock
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("named fragments, aliases, variables and a variable @include; independent root fields in parallel")
    func fragmentsAliasesVariablesAndConditions() throws {
        expectPlan(#"query Q($upc: String!, $withReviews: Boolean!) { best: product(upc: $upc) { ...Details reviews @include(if: $withReviews) { body } } me { name } }  fragment Details on Product { name price inStock }"#, #"""
            QueryPlan {
              Parallel {
                Sequence {
                  Fetch(service: "products") {
                    {
                      best: product(upc: $upc) {
                        name
                        price
                        __typename
                        upc
                      }
                    }
                  },
                  Parallel {
                    Flatten(path: "best") {
                      Fetch(service: "inventory") {
                        {
                          ... on Product {
                            __typename
                            upc
                          }
                        } =>
                        {
                          ... on Product {
                            inStock
                          }
                        }
                      },
                    },
                    Flatten(path: "best") {
                      Fetch(service: "reviews", if: "@include(if: $withReviews)") {
                        {
                          ... on Product {
                            __typename
                            upc
                          }
                        } =>
                        {
                          ... on Product {
                            reviews @include(if: $withReviews) {
                              body
                            }
                          }
                        }
                      },
                    },
                  },
                },
                Fetch(service: "accounts") {
                  {
                    me {
                      name
                    }
                  }
                },
              },
            }
            """#)
    }

    @Test("constant @skip/@include are applied when planning")
    func constantConditionsApplyAtPlanTime() throws {
        expectPlan(#"{ product(upc: "1") { name @skip(if: true) price @include(if: true) } }"#, #"""
            QueryPlan {
              Fetch(service: "products") {
                {
                  product(upc: "1") {
                    price
                  }
                }
              },
            }
            """#)
    }

    @Test("mutation root fields run in document order, one subgraph after another")
    func mutationsRunInOrder() throws {
        expectPlan(#"mutation { createProduct(name: "x") { upc } addReview(upc: "1", body: "b") { id } again: createProduct(name: "y") { name inStock } }"#, #"""
            QueryPlan {
              Sequence {
                Fetch(service: "products", kind: mutation) {
                  {
                    createProduct(name: "x") {
                      upc
                    }
                  }
                },
                Fetch(service: "reviews", kind: mutation) {
                  {
                    addReview(upc: "1", body: "b") {
                      id
                    }
                  }
                },
                Fetch(service: "products", kind: mutation) {
                  {
                    again: createProduct(name: "y") {
                      name
                      __typename
                      upc
                    }
                  }
                },
                Flatten(path: "again") {
                  Fetch(service: "inventory") {
                    {
                      ... on Product {
                        __typename
                        upc
                      }
                    } =>
                    {
                      ... on Product {
                        inStock
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("a key field the client's alias would shadow is read under a gateway alias")
    func keyFieldsAvoidClientAliases() throws {
        expectPlan(#"{ product(upc: "1") { reviews { body } upc: name } }"#, #"""
            QueryPlan {
              Sequence {
                Fetch(service: "products") {
                  {
                    product(upc: "1") {
                      __typename
                      _gw_key_upc: upc
                      upc: name
                    }
                  }
                },
                Flatten(path: "product") {
                  Fetch(service: "reviews") {
                    {
                      ... on Product {
                        __typename
                        _gw_key_upc: upc
                      }
                    } =>
                    {
                      ... on Product {
                        reviews {
                          body
                        }
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("a variable @skip on an inline fragment reaches the subgraph")
    func variableConditionsOnFragments() throws {
        expectPlan(#"query($skipStock: Boolean!) { items { ... on Product @skip(if: $skipStock) { inStock } } }"#, #"""
            QueryPlan {
              Sequence {
                Fetch(service: "products") {
                  {
                    items {
                      __typename
                      ... on Product @skip(if: $skipStock) {
                        __typename
                        upc
                      }
                    }
                  }
                },
                Flatten(path: "items.@") {
                  Fetch(service: "inventory") {
                    {
                      ... on Product {
                        __typename
                        upc
                      }
                    } =>
                    {
                      ... on Product {
                        inStock
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    private func expectPlan(_ query: String, _ expected: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            let plan = try planner.plan(query: query)
            #expect(plan.description == expected, sourceLocation: sourceLocation)
        } catch {
            Issue.record("planning failed: \(error)", sourceLocation: sourceLocation)
        }
    }
}

@Suite("Query planner behaviour")
struct QueryPlannerBehaviourTests {
    @Test("a cached plan is returned for the same operation, however it is spaced")
    func planCacheHit() throws {
        let planner = QueryPlanner(supergraph: try StorefrontSubgraphs.supergraph())
        let first = try planner.plan(query: "{ topProducts { name inStock } }")
        let second = try planner.plan(query: "{\n  topProducts {\n    name\n    inStock\n  }\n}")
        let third = try planner.plan(document: parse(source: "{ topProducts { name, inStock } }"))
        #expect(first.root == second.root && second.root == third.root)
        #expect(first.operation == second.operation)
        let plansByDocument = planner.cacheStatistics
        _ = try planner.plan(query: "query A { me { name } } query B { me { username } }", operationName: "A")
        _ = try planner.plan(query: "query A { me { name } } query B { me { username } }", operationName: "B")
        let afterTwoNames = planner.cacheStatistics
        // Each operation name is its own plan.
        #expect(afterTwoNames.misses == plansByDocument.misses + 4)
        _ = try planner.plan(query: "query A { me { name } } query B { me { username } }", operationName: "A")
        #expect(planner.cacheStatistics.hits == afterTwoNames.hits + 1)
    }

    @Test("the emporium product page: catalog first, then one inventory fetch")
    func emporiumProductPage() throws {
        let planner = QueryPlanner(supergraph: try Supergraph.compose(EmporiumSubgraphs.subgraphs))
        let plan = try planner.plan(query: #"query ProductPage($id: ID!) { product(id: $id) { title price { formatted } stock { available warehouses { warehouse { name } } } inStock category { name } } }"#)
        #expect(plan.description == #"""
            QueryPlan {
              Sequence {
                Fetch(service: "catalog") {
                  {
                    product(id: $id) {
                      title
                      price {
                        formatted
                      }
                      __typename
                      id
                      category {
                        name
                      }
                    }
                  }
                },
                Flatten(path: "product") {
                  Fetch(service: "inventory") {
                    {
                      ... on Product {
                        __typename
                        id
                      }
                    } =>
                    {
                      ... on Product {
                        stock {
                          available
                          warehouses {
                            warehouse {
                              name
                            }
                          }
                        }
                        inStock
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("the catalog and inventory plan: products from catalog, stock in one batched inventory fetch")
    func emporiumPlan() throws {
        let planner = QueryPlanner(supergraph: try Supergraph.compose(EmporiumSubgraphs.subgraphs))
        let plan = try planner.plan(query: "{ products(first: 100) { nodes { id title stock { available } } } }")
        let fetches = try #require(plan.root?.fetches)
        #expect(fetches.map(\.subgraph) == ["catalog", "inventory"])
        #expect(fetches[0].operation == "query { products(first: 100) { nodes { id title __typename } } }")
        #expect(fetches[1].operation == "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { stock { available } } } }")
        guard case .sequence(let steps) = plan.root, case .flatten(let path, _) = steps.last else {
            Issue.record("expected a sequence ending in a flatten: \(plan)")
            return
        }
        #expect(path == ["products", "nodes", "@"])
    }

    @Test("an operation that only reads __typename or introspection needs no fetch")
    func nothingToFetch() throws {
        let planner = QueryPlanner(supergraph: try StorefrontSubgraphs.supergraph())
        #expect(try planner.plan(query: "{ __typename __schema { queryType { name } } }").root == nil)
    }

    @Test("@requires fields another subgraph owns are fetched first, in their own step")
    func requiresFromThirdSubgraph() throws {
        let a = SubgraphSDL(name: "a", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { p: P } type P @key(fields: "id") { id: ID! }"#)
        let b = SubgraphSDL(name: "b", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"]) type P @key(fields: "id") { id: ID! w: Int @external e: Int @requires(fields: "w") }"#)
        let c = SubgraphSDL(name: "c", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type P @key(fields: "id") { id: ID! w: Int }"#)
        let planner = QueryPlanner(supergraph: try Supergraph.compose([a, b, c]))
        let plan = try planner.plan(query: "{ p { e } }")
        #expect(plan.root?.fetches.map(\.subgraph) == ["a", "c", "b"])
        guard case .sequence(let steps) = plan.root else {
            Issue.record("expected a sequence: \(plan)")
            return
        }
        #expect(steps.count == 3)
        #expect(plan.root?.fetches.last?.requires["P"]?.map(\.name) == ["__typename", "id", "w"])
    }

    @Test("a key the current subgraph lacks is fetched from a third subgraph first")
    func keyThroughAnotherHop() throws {
        let a = SubgraphSDL(name: "a", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { p: P } type P @key(fields: "id") { id: ID! }"#)
        let b = SubgraphSDL(name: "b", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type P @key(fields: "sku") { sku: ID! e: Int }"#)
        let c = SubgraphSDL(name: "c", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type P @key(fields: "id") @key(fields: "sku") { id: ID! sku: ID! }"#)
        let plan = try QueryPlanner(supergraph: try Supergraph.compose([a, b, c])).plan(query: "{ p { e } }")
        #expect(plan.root?.fetches.map(\.subgraph) == ["a", "c", "b"])
        #expect(plan.root?.fetches.last?.requires["P"]?.map(\.name) == ["__typename", "sku"])
    }

    @Test("a key the current subgraph cannot provide is a planning error naming field and subgraphs")
    func unplannableKey() throws {
        let a = SubgraphSDL(name: "a", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { p: P } type P @key(fields: "id") { id: ID! }"#)
        let b = SubgraphSDL(name: "b", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type P @key(fields: "sku") { sku: ID! e: Int }"#)
        let planner = QueryPlanner(supergraph: try Supergraph.compose([a, b]))
        do {
            _ = try planner.plan(query: "{ p { e } }")
            Issue.record("expected a planning error")
        } catch let error as PlanningError {
            #expect(error.code == "QUERY_PLANNING_FAILED")
            #expect(error.message.contains("'P.e'") && error.message.contains("'sku'") && error.message.contains("'b'"))
        }
    }
}
