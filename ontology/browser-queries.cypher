// Ready queries for Neo4j Browser (paste one, or add them as favourites).
// Parameters: set them first, e.g.  :param topic => '秸秆禁烧'   :param department => '市生态环境局'
//             :param law => '噪声污染防治法'

// 1. Who is responsible for a topic: provisions ranked by the cjk full-text index, with holders and quotes
CALL db.index.fulltext.queryNodes('provision_fulltext', $topic) YIELD node AS p, score
MATCH (p)-[:PART_OF*1..4]->(d:Document)
OPTIONAL MATCH (p)-[:HAS_ASSIGNMENT]->(a:Assignment)
OPTIONAL MATCH (a)-[:ASSIGNED_TO]->(dep:Department)
RETURN d.name AS document, p.unit AS unit, p.heading AS heading, score,
       collect(coalesce(dep.name, 'VAGUE:' + a.vague) + ' / ' + a.role) AS holders, head(collect(a.quote)) AS quote
ORDER BY score DESC LIMIT 10;

// 2. A department's duties (by canonical name or alias), by document and role, with deadlines
MATCH (dep:Department) WHERE dep.name = $department OR $department IN dep.aliases
MATCH (a:Assignment)-[:ASSIGNED_TO]->(dep), (p:Provision)-[:HAS_ASSIGNMENT]->(a), (doc:Document {id: p.doc_id})
RETURN doc.name AS document, p.unit AS unit, p.heading AS heading, a.role AS role, a.deadline AS deadline, a.quote AS quote
ORDER BY document, p.order LIMIT 500;

// 3. Shared duties without a lead: several departments responsible, nobody leading
MATCH (p:Provision)-[:HAS_ASSIGNMENT]->(a:Assignment)
WITH p, collect(a) AS asg
WHERE size([x IN asg WHERE x.role = 'lead']) = 0 AND size([x IN asg WHERE x.role = 'responsible' AND x.department_id <> '']) >= 3
MATCH (doc:Document {id: p.doc_id})
RETURN doc.name AS document, p.unit AS unit, p.heading AS heading, size(asg) AS holders
ORDER BY holders DESC LIMIT 100;

// 4. The same item assigned differently in two documents (service items with the same name)
MATCH (p1:Provision)-[:DESCRIBES]->(s1:ServiceItem), (p2:Provision)-[:DESCRIBES]->(s2:ServiceItem)
WHERE s1.name = s2.name AND p1.id < p2.id
OPTIONAL MATCH (p1)-[:HAS_ASSIGNMENT]->(:Assignment)-[:ASSIGNED_TO]->(d1:Department)
OPTIONAL MATCH (p2)-[:HAS_ASSIGNMENT]->(:Assignment)-[:ASSIGNED_TO]->(d2:Department)
WITH s1.name AS item, p1, p2, collect(DISTINCT d1.name) AS holders1, collect(DISTINCT d2.name) AS holders2
WHERE holders1 <> holders2
RETURN item, p1.unit, holders1, p2.unit, holders2 LIMIT 100;

// 5. Provisions without any assignee (leaves only), and their documents
MATCH (p:Provision)
WHERE NOT p.kind IN ['preamble', 'annex', 'section'] AND NOT (p)<-[:PART_OF]-(:Provision)
  AND NOT (p)-[:PART_OF*0..4]->(:Provision)-[:HAS_ASSIGNMENT]->(:Assignment)
MATCH (doc:Document {id: p.doc_id})
RETURN doc.name AS document, p.unit AS unit, p.heading AS heading ORDER BY document, p.order;

// 6. The neighbourhood of one department, for a picture
MATCH (dep:Department {name: $department})<-[r:ASSIGNED_TO]-(a:Assignment)<-[h:HAS_ASSIGNMENT]-(p:Provision)
RETURN dep, r, a, h, p LIMIT 150;

// 7. A department's targets: the figures (指标) set by the provisions it holds, with the quote
MATCH (dep:Department) WHERE dep.name = $department OR $department IN dep.aliases
MATCH (p:Provision)-[:HAS_ASSIGNMENT]->(a:Assignment)-[:ASSIGNED_TO]->(dep)
MATCH (p)-[:SETS]->(t:Target), (doc:Document {id: p.doc_id})
RETURN DISTINCT doc.name AS document, p.unit AS unit, a.role AS role, t.indicator AS indicator,
       t.value AS value, t.unit_of_measure AS measure, t.year AS year, t.quote AS quote
ORDER BY document, unit LIMIT 500;

// 8. A law's articles and their local holders: each local provision implementing an article of $law (a
//    law-article table row, 依据《…》第X条), its holders, and the article's own text when the law is loaded
MATCH (p:Provision)-[:IMPLEMENTS]->(la:LawArticle) WHERE la.law CONTAINS $law
MATCH (doc:Document {id: p.doc_id})
OPTIONAL MATCH (p)-[:HAS_ASSIGNMENT]->(:Assignment)-[:ASSIGNED_TO]->(d:Department)
OPTIONAL MATCH (law:Document {title: la.law})
OPTIONAL MATCH (art:Provision {doc_id: law.id, unit: la.name})
RETURN la.law AS law, la.name AS article, doc.place AS place, doc.name AS document, p.unit AS unit,
       p.order AS order, collect(DISTINCT d.name) AS local_holders, art.text AS law_text
ORDER BY place, document, order LIMIT 500;

// 9. Where local documents depart from the law: the law findings, the law's quote beside the local one
MATCH (f:Finding) WHERE f.type IN ['law_authority_differs', 'designation_missing',
                                   'law_authority_without_local_holder', 'allocated_twice']
RETURN f.type AS type, f.severity AS severity, f.title_zh AS finding, f.evidence AS evidence
ORDER BY severity, type LIMIT 200;
