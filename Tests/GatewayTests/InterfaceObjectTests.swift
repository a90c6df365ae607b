import GraphQL
import GraphQLSupport
import Testing
@testable import Gateway
import OrderedCollections

/// Entity interfaces and `@interfaceObject`: a subgraph extends every implementation of an
/// interface without knowing them.
@Suite("Interface objects")
struct InterfaceObjectTests {
    @Test("an @interfaceObject's fields join the interface and every implementation")
    func composition() throws {
        let supergraph = try MediaSubgraphs.supergraph()
        let media = try #require(supergraph.type(named: "Media"))
        #expect(media.kind == .interface)
        #expect(media.interfaceObjectSubgraphs == ["reviews"])
        #expect(media.keys.map(\.subgraph) == ["media", "reviews"])
        for implementation in ["Book", "Movie"] {
            let reviews = supergraph.field("reviews", on: implementation)
            #expect(reviews?.resolvingSubgraphs == ["reviews"])
            #expect(reviews?.resolutions["reviews"]?.interfaceObject == "Media")
        }
        #expect(supergraph.apiSDL.contains("type Book implements Media {"))
        let decoded = try Supergraph(decoding: supergraph.encoded())
        #expect(decoded.types == supergraph.types)
    }

    @Test("implementations are sent to the interface object as the interface")
    func planFromOwner() throws {
        let planner = QueryPlanner(supergraph: try MediaSubgraphs.supergraph())
        #expect(try planner.plan(query: "{ library { title reviews } }").description == #"""
            QueryPlan {
              Sequence {
                Fetch(service: "media") {
                  {
                    library {
                      __typename
                      title
                      ... on Book {
                        __typename
                        id
                      }
                      ... on Movie {
                        __typename
                        id
                      }
                    }
                  }
                },
                Flatten(path: "library.@") {
                  Fetch(service: "reviews") {
                    {
                      ... on Book (as Media) {
                        __typename
                        id
                      }
                      ... on Movie (as Media) {
                        __typename
                        id
                      }
                    } =>
                    {
                      ... on Media {
                        reviews
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("objects from the interface object get their real type and fields from the owner")
    func planFromInterfaceObject() throws {
        let planner = QueryPlanner(supergraph: try MediaSubgraphs.supergraph())
        #expect(try planner.plan(query: "{ topMedia { reviews __typename title ... on Book { author } } }").description == #"""
            QueryPlan {
              Sequence {
                Fetch(service: "reviews") {
                  {
                    topMedia {
                      __typename
                      reviews
                      id
                    }
                  }
                },
                Flatten(path: "topMedia.@") {
                  Fetch(service: "media") {
                    {
                      ... on Media {
                        __typename
                        id
                      }
                    } =>
                    {
                      ... on Media {
                        __typename
                        title
                        ... on Book {
                          author
                        }
                      }
                    }
                  },
                },
              },
            }
            """#)
    }

    @Test("execution: representations carry the interface name, fragments apply by the real type")
    func execution() async throws {
        let transport = RecordingTransport([
            "reviews": { request in
                if request.query.contains("_entities") {
                    return SubgraphResponse(data: ["_entities": .array(request.representations.map { ["reviews": .array([.string("on \($0["id"].string ?? "")")])] })])
                }
                return SubgraphResponse(data: ["topMedia": [
                    ["__typename": "Media", "id": "b1", "reviews": ["gripping"]], ["__typename": "Media", "id": "m1", "reviews": []],
                ]])
            },
            "media": { request in
                if request.query.contains("_entities") {
                    return SubgraphResponse(data: ["_entities": [
                        ["__typename": "Book", "title": "Dune", "author": "Herbert"], ["__typename": "Movie", "title": "Alien"],
                    ]])
                }
                return SubgraphResponse(data: ["library": [["__typename": "Book", "title": "Dune", "id": "b1"]]])
            },
        ])
        let gateway = FederationGateway(supergraph: try MediaSubgraphs.supergraph(), transport: transport)
        let top = await gateway.execute(
            GraphQLRequest(query: "{ topMedia { reviews __typename title ... on Book { author } } }"), info: GraphQLRequestInfo(principal: nil)
        )
        #expect(top.result.errors.isEmpty, "\(top.result.errors)")
        #expect(top.result.data == ["topMedia": [
            ["reviews": ["gripping"], "__typename": "Book", "title": "Dune", "author": "Herbert"],
            ["reviews": [], "__typename": "Movie", "title": "Alien"],
        ]])
        #expect(transport.requests(to: "media").first?.representations == [["__typename": "Media", "id": "b1"], ["__typename": "Media", "id": "m1"]])

        let library = await gateway.execute(GraphQLRequest(query: "{ library { title reviews } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(library.result.errors.isEmpty, "\(library.result.errors)")
        #expect(library.result.data == ["library": [["title": "Dune", "reviews": ["on b1"]]]])
        #expect(transport.requests(to: "reviews").last?.representations == [["__typename": "Media", "id": "b1"]])
    }
}
