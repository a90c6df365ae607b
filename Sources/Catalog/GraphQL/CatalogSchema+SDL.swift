extension CatalogSchema {
    /// The catalog's federation v2 subgraph SDL, as `_service { sdl }` returns it.
    public static let sdl = #"""
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

        "An ISO 8601 date-time in UTC, e.g. 2026-11-25T09:00:00.000Z."
        scalar DateTime

        enum ProductStatus {
          DRAFT
          SCHEDULED
          PUBLISHED
          ARCHIVED
        }

        "An amount in minor units (cents) of an ISO 4217 currency."
        type Money @shareable {
          amount: Int!
          currency: String!
          formatted: String!
        }

        type ProductAttribute {
          key: String!
          value: String!
        }

        type Category @key(fields: "id") {
          id: ID!
          parentId: ID
          slug: String!
          name: String!
          parent: Category
          children: [Category!]!
          "Published products directly in this category (not its children); kept from events, a moment behind."
          productCount: Int!
        }

        "A shop; the users service resolves its name and the rest, the catalog its products."
        type Seller @key(fields: "id") {
          id: ID!
          "The shop's products, newest first; public ones only, unless the caller is the seller or an admin."
          products(first: Int, after: String): ProductConnection!
        }

        type Product @key(fields: "id") {
          id: ID!
          sellerId: ID!
          "The seller's shop (null when the seller has no account, as seeded sellers do)."
          seller: Seller
          title: String!
          "Unique and stable; former slugs keep resolving through productBySlug."
          slug: String!
          description: String!
          price: Money!
          compareAtPrice: Money
          category: Category
          attributes: [ProductAttribute!]!
          "Links given as imageUrls, then the uploaded images' XLARGE JPEGs."
          imageUrls: [String!]! @deprecated(reason: "Use images { url(size: …, format: …) }: uploaded images in five sizes and two formats.")
          "Images uploaded with POST /uploads/images, in order: the READY ones for everyone; for the seller and admins also those PENDING or FAILED."
          images: [ProductImage!]!
          status: ProductStatus!
          publishAt: DateTime
          createdAt: DateTime!
          updatedAt: DateTime!
          "Incremented on every change; updateProduct names the version it expects."
          version: Int!
          "Units sold in paid orders (a paid order cancelled before shipping is taken back); kept from events, a moment behind."
          salesCount: Int!
          "Times the product was read at the public edge (product, productBySlug), cached answers included; batched, a few seconds behind."
          viewCount: Int!
          "A scheduled product's publication job, for its seller and admins; null otherwise."
          scheduledPublication: ScheduledPublication
          "Discounts: every one (newest start first, 20 at most) for the seller and admins; the running one for everyone else. While one runs, price is the discounted price and compareAtPrice the regular one."
          discounts: [Discount!]!
        }

        "A price reduction for a time: the price changes when it starts and returns when it ends."
        type Discount {
          id: ID!
          productId: ID!
          "Percent off the regular price; null for a fixed price."
          percent: Int
          "The price while it runs; null for a percentage."
          price: Money
          startsAt: DateTime!
          endsAt: DateTime!
          state: DiscountState!
          "Why it ended without running, or early."
          note: String
        }

        enum DiscountState {
          SCHEDULED
          ACTIVE
          ENDED
          CANCELLED
        }

        "Exactly one of percent (1-99) and price (below the current price, in its currency). A start in the past means now; at most 366 days long."
        input DiscountInput {
          percent: Int
          price: MoneyInput
          startsAt: DateTime!
          endsAt: DateTime!
        }

        type ProductEdge {
          cursor: String!
          node: Product!
        }

        type PageInfo @shareable {
          hasNextPage: Boolean!
          endCursor: String
        }

        type ProductConnection {
          edges: [ProductEdge!]!
          nodes: [Product!]!
          pageInfo: PageInfo!
        }

        input MoneyInput {
          amount: Int!
          currency: String!
        }

        input AttributeInput {
          key: String!
          value: String!
        }

        input ProductFilter {
          categoryId: ID
          sellerId: ID
          minPrice: Int
          maxPrice: Int
          currency: String
          statuses: [ProductStatus!]
        }

        input CreateProductInput {
          title: String!
          description: String
          price: MoneyInput!
          compareAtPrice: MoneyInput
          categoryId: ID
          attributes: [AttributeInput!]
          imageUrls: [String!]
          sellerId: ID
        }

        input UpdateProductInput {
          title: String
          description: String
          price: MoneyInput
          compareAtPrice: MoneyInput
          removeCompareAtPrice: Boolean
          categoryId: ID
          removeCategory: Boolean
          attributes: [AttributeInput!]
          imageUrls: [String!]
        }

        input CreateCategoryInput {
          name: String!
          slug: String
          parentId: ID
        }

        "An image of a product; its sizes are made by a job after the upload."
        type ProductImage {
          id: ID!
          state: ProductImageState!
          "The uploaded image's size in pixels, once READY."
          width: Int
          height: Int
          "Why it FAILED (not an image, damaged, too large), for the seller."
          error: String
          "Once READY: the path of one size (a path on this endpoint's host; the same path always serves the same bytes)."
          url(size: ImageSize! = LARGE, format: ImageFileFormat! = WEBP): String
          createdAt: DateTime!
        }

        enum ProductImageState {
          "Uploaded; its sizes are being made."
          PENDING
          READY
          FAILED
        }

        "Each size fits a square box (never enlarged)."
        enum ImageSize {
          "64 px"
          THUMBNAIL
          "160 px"
          SMALL
          "320 px"
          MEDIUM
          "640 px"
          LARGE
          "1280 px"
          XLARGE
        }

        enum ImageFileFormat {
          WEBP
          JPEG
        }

        enum ExportFormat {
          XLSX
          "RFC 4180 with a UTF-8 byte order mark."
          CSV
        }

        enum ExportState {
          PENDING
          RUNNING
          COMPLETED
          FAILED
        }

        "Which products to export. Sellers export their own (sellerId, when given, must be theirs); admins any seller's, or everyone's without sellerId."
        input ProductExportFilter {
          sellerId: ID
          status: ProductStatus
        }

        "An export of products to a spreadsheet, written by a job."
        type ExportJob {
          id: ID!
          format: ExportFormat!
          state: ExportState!
          "0 to 100."
          progress: Int!
          "Products written, once COMPLETED."
          rowCount: Int!
          "Once COMPLETED: a link to the file, valid for 15 minutes (read exportJob again for a new one). A path on this endpoint's host."
          downloadUrl: String
          "Why it FAILED."
          error: String
          createdAt: DateTime!
          finishedAt: DateTime
        }

        "How search results are ordered."
        enum SearchSort {
          "Best match first; newest first without a query."
          RELEVANCE
          PRICE_ASC
          PRICE_DESC
          NEWEST
          "Most units sold first, then most viewed."
          POPULARITY
        }

        "A search. Every field is optional: without a query it browses by the filters."
        input SearchInput {
          "Up to 200 characters. Typed in the other keyboard layout, as Russian in Latin letters, or with a typo, it is read as meant (see correctedQuery)."
          query: String
          "This category and its descendants."
          categoryId: ID
          sellerId: ID
          "Minor units, inclusive."
          minPrice: Int
          "Minor units, inclusive."
          maxPrice: Int
          currency: String
          "Only products with units available, as the catalog last heard from inventory (a moment behind)."
          inStock: Boolean
          sort: SearchSort = RELEVANCE
          "1 to 100 (20)."
          first: Int
          after: String
        }

        type SearchResult {
          products: ProductConnection!
          "What was searched instead of the query as typed (the other keyboard layout, a transliteration, a corrected typo), to show as results for …; null when the query matched as written."
          correctedQuery: String
          "Products matching the query and filters, counted up to 10,000 (facets.exact says whether the count stopped there)."
          totalCount: Int!
          facets: SearchFacets!
        }

        "Counts over the products matching the query and every filter."
        type SearchFacets {
          "False when 10,000 or more products match: the counts then describe the first 10,000 found."
          exact: Boolean!
          "Per category (the category itself, not its descendants), most first, at most 20."
          categories: [CategoryFacet!]!
          "Per price band of the 1-2-5 series (100-200, 200-500, 500-1000, …, in minor units), per currency, cheapest first."
          prices: [PriceFacet!]!
        }

        type CategoryFacet {
          category: Category!
          count: Int!
        }

        type PriceFacet {
          currency: String!
          "Minor units, inclusive."
          min: Int!
          "Minor units, exclusive; null for the band with no upper end."
          max: Int
          count: Int!
        }

        enum SearchSuggestionKind {
          "The words typed with the last one completed."
          QUERY
          CATEGORY
          PRODUCT
        }

        type SearchSuggestion {
          kind: SearchSuggestionKind!
          text: String!
          "For CATEGORY."
          category: Category
          "For PRODUCT."
          product: Product
        }

        "Admins: what a query containing term also looks for."
        type SearchSynonyms {
          term: String!
          synonyms: [String!]!
          updatedAt: DateTime!
        }

        type Query {
          "An export the caller asked for (admins: any)."
          exportJob(id: ID!): ExportJob!
          "Admins: the catalog's jobs, newest first. state and kind filter; first: 1 to 100; after: the id of the last job of the previous page."
          catalogJobs(state: JobState, kind: String, first: Int = 20, after: ID): [CatalogJob!]!
          product(id: ID!): Product
          productBySlug(slug: String!): Product
          products(filter: ProductFilter, first: Int, after: String): ProductConnection!
          "Full-text search, most relevant first (kept as it is; search(input:) adds filters, facets and sorting)."
          searchProducts(query: String!, first: Int, after: String): ProductConnection!
          "Search with filters, sorting and facets; the same query understanding as searchProducts, and correctedQuery when it was used."
          search(input: SearchInput!): SearchResult!
          "Type-ahead: categories, completed queries and public products' titles for what has been typed so far, in any keyboard layout or script. first: 1 to 20."
          searchSuggestions(prefix: String!, first: Int = 10): [SearchSuggestion!]!
          "Admins: the search synonyms in term order; after: the last term of the previous page."
          searchSynonyms(first: Int, after: String): [SearchSynonyms!]!
          categories: [Category!]!
          category(id: ID!): Category
        }

        "Served over WebSocket (graphql-transport-ws) at /graphql."
        type Subscription {
          "The product after each change (null when the subscriber may no longer see it, e.g. archived)."
          productChanged(id: ID!): Product
        }

        enum JobState {
          AVAILABLE
          RUNNING
          "Failed; runs again at runAt."
          RETRYABLE
          COMPLETED
          "Out of attempts; kept with its last error, retryable by an admin."
          DISCARDED
          CANCELLED
        }

        "When a scheduled product goes public, and the job that will publish it."
        type ScheduledPublication {
          publishAt: DateTime!
          job: CatalogJob!
        }

        "A background job of the catalog (scheduled publications)."
        type CatalogJob {
          "Pass as after for the next (older) page."
          id: ID!
          kind: String!
          queue: String!
          state: JobState!
          attempts: Int!
          maxAttempts: Int!
          runAt: DateTime!
          progress: Int!
          progressMessage: String
          lastError: String
          "The job's arguments as JSON text."
          payload: String!
          createdAt: DateTime!
          finishedAt: DateTime
        }

        type Mutation {
          createProduct(input: CreateProductInput!): Product!
          updateProduct(id: ID!, expectedVersion: Int!, input: UpdateProductInput!): Product!
          "Publishes now, or at publishAt (status SCHEDULED; a job publishes it then and ProductPublished goes out at that moment). Calling it again while scheduled reschedules."
          publishProduct(id: ID!, expectedVersion: Int, publishAt: DateTime): Product!
          "A scheduled product goes back to DRAFT and its publication job is cancelled."
          cancelScheduledPublication(id: ID!, expectedVersion: Int): Product!
          "The product's seller or an admin: the price changes at startsAt and returns at endsAt. Overlapping another discount of the product is a CONFLICT; while it runs, changing the price or compareAtPrice is a CONFLICT."
          scheduleDiscount(productId: ID!, input: DiscountInput!): Discount!
          "Sellers and admins: exports products to XLSX or CSV; follow it with exportJob."
          exportProducts(filter: ProductExportFilter, format: ExportFormat!): ExportJob!
          "Cancels a scheduled discount, or ends a running one now (the regular price returns)."
          cancelDiscount(id: ID!): Discount!
          "Admins: run a discarded, cancelled or failed catalog job again now."
          retryCatalogJob(id: ID!): CatalogJob!
          "Admins: cancel a waiting catalog job, or ask a running one to stop."
          cancelCatalogJob(id: ID!): CatalogJob!
          "The product's seller or an admin: removes an uploaded image and its files (false when it was gone already)."
          removeProductImage(id: ID!): Boolean!
          archiveProduct(id: ID!, expectedVersion: Int): Product!
          createCategory(input: CreateCategoryInput!): Category!
          "Admins: a query containing term (one word) also finds what any of synonyms finds (one way: set the reverse too for words that mean each other). Up to 20; an empty list removes the term."
          setSearchSynonyms(term: String!, synonyms: [String!]!): SearchSynonyms!
        }
        """#
}
