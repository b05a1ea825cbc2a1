/**
 * The reports, dashboard and Opportunity list views the package ships, checked against the fields and report types
 * they stand on: every column, filter and grouping names a column its packaged report type offers, every dashboard
 * component reads a packaged report and groups by one of its groupings, and each list view filters on real values.
 * A renamed field or report type therefore fails here instead of at install time in a customer's org.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTrue, listMetadata, readField, readMetadata, type Xml } from './force-app.js';

const FOLDER = 'Partner_Center_Reports';
const REPORTS = ['Co_Sell_Pipeline_With_Microsoft', 'Referrals_Awaiting_Acceptance', 'Sync_Errors_By_Reason'];
const LANGUAGES = ['it', 'pt_BR', 'ru', 'sv'];

const report = (name: string) => readMetadata(`reports/${FOLDER}/${name}.report-meta.xml`);

/** The `<table>$<field>` columns a packaged report type offers (custom report types are referenced as <Name>__c). */
function reportTypeColumns(reportType: string): Set<string> {
  const name = reportType.replace(/__c$/, '');
  const meta = readMetadata(`reportTypes/${name}.reportType-meta.xml`);
  const columns = new Set<string>();
  for (const section of meta.sections as Xml[]) {
    for (const column of section.columns as Xml[]) columns.add(`${column.table}$${column.field}`);
  }
  return columns;
}

/** Every column a report uses: shown, filtered, grouped, sorted or dated. */
function usedColumns(meta: Xml): string[] {
  return [
    ...((meta.columns ?? []) as Xml[]).map((c) => c.field),
    ...((meta.filter?.criteriaItems ?? []) as Xml[]).map((c) => c.column),
    ...((meta.groupingsDown ?? []) as Xml[]).map((g) => g.field),
    ...(meta.sortColumn ? [meta.sortColumn] : []),
    ...(meta.timeFrameFilter ? [meta.timeFrameFilter.dateColumn] : []),
  ];
}

function picklistValues(object: string, field: string): string[] {
  return (readField(object, field).valueSet.valueSetDefinition.value as Xml[]).map((v) => v.fullName);
}

describe('reports', () => {
  it('ship in one public, read-only folder', () => {
    const folder = readMetadata(`reports/${FOLDER}.reportFolder-meta.xml`);
    assert.equal(folder.accessType, 'Public');
    assert.equal(folder.publicFolderAccess, 'ReadOnly');
    assert.deepEqual(listMetadata(`reports/${FOLDER}`, '.report-meta.xml'), REPORTS.map((r) => `${r}.report-meta.xml`));
  });

  for (const name of REPORTS) {
    it(`${name} stands on a packaged report type and uses only its columns`, () => {
      const meta = report(name);
      assert.match(meta.reportType, /__c$/, 'a packaged (custom) report type, not a standard one');
      const offered = reportTypeColumns(meta.reportType);
      for (const column of usedColumns(meta)) assert.ok(offered.has(column), `${name}: ${column} is not a column of ${meta.reportType}`);
      assert.equal(meta.format, 'Summary', 'a dashboard chart needs a grouping');
      assert.equal((meta.groupingsDown as Xml[]).length, 1);
      assert.ok(meta.name.length <= 40, `${name}: the report name has ${meta.name.length} characters (at most 40)`);
      assert.ok(meta.description && meta.description.length <= 255, `${name}: a description of at most 255 characters`);
      assert.equal(meta.scope, 'organization');
    });
  }

  // `value` repeats in picklists, so the reader gives an array; a filter's one value is its only item.
  const criteria = (name: string) =>
    ((report(name).filter?.criteriaItems ?? []) as Xml[]).map((c) => ({ column: c.column, operator: c.operator, value: [c.value ?? ''].flat().join() }));

  it('the co-sell pipeline is the open opportunities that have a referral, amount summed by stage', () => {
    assert.deepEqual(criteria('Co_Sell_Pipeline_With_Microsoft'), [
      { column: 'Opportunity$Referral_Id__c', operator: 'notEqual', value: '' },
      { column: 'Opportunity$IsClosed', operator: 'equals', value: '0' },
    ]);
    const meta = report('Co_Sell_Pipeline_With_Microsoft');
    assert.equal(meta.groupingsDown[0].field, 'Opportunity$StageName');
    assert.deepEqual((meta.columns as Xml[]).find((c) => c.field === 'Opportunity$Amount')?.aggregateTypes, ['Sum']);
  });

  it('sync errors are the Error and Parked attempts of the last 30 days, grouped by the reason code the connector writes', () => {
    const outcomes = picklistValues('Partner_Center_Sync_Log__c', 'Outcome__c');
    const [filter] = criteria('Sync_Errors_By_Reason');
    assert.deepEqual(filter, { column: 'Partner_Center_Sync_Log__c$Outcome__c', operator: 'equals', value: 'Error,Parked' });
    for (const value of filter.value.split(',')) assert.ok(outcomes.includes(value), `${value} is an Outcome__c value`);
    const meta = report('Sync_Errors_By_Reason');
    assert.equal(meta.groupingsDown[0].field, 'Partner_Center_Sync_Log__c$Reason_Code__c');
    assert.deepEqual(meta.timeFrameFilter, { dateColumn: 'Partner_Center_Sync_Log__c$Occurred_At__c', interval: 'INTERVAL_LAST30' });
  });

  it('referrals awaiting acceptance are those still New in Partner Center', () => {
    assert.deepEqual(criteria('Referrals_Awaiting_Acceptance'), [
      { column: 'Opportunity$Referral_Id__c', operator: 'notEqual', value: '' },
      { column: 'Opportunity$Partner_Center_Status__c', operator: 'startsWith', value: 'New' },
    ]);
  });
});

describe('report types', () => {
  it('Partner_Center_Co_Sell_Opportunities offers the co-sell fields of every opportunity', () => {
    const meta = readMetadata('reportTypes/Partner_Center_Co_Sell_Opportunities.reportType-meta.xml');
    assert.equal(meta.baseObject, 'Opportunity');
    assert.equal(meta.join, undefined, 'no join: opportunities without a sync log count too');
    assert.equal(isTrue(meta.deployed), true);
    for (const column of reportTypeColumns('Partner_Center_Co_Sell_Opportunities')) {
      const field = column.split('$')[1];
      if (field.endsWith('__c')) assert.ok(readField('Opportunity', field), field);
    }
  });

  it('every packaged report type is translated into each language, within the 50-character label limit', () => {
    const names = listMetadata('reportTypes', '.reportType-meta.xml').map((f) => f.replace('.reportType-meta.xml', ''));
    for (const language of LANGUAGES) {
      const translated = (readMetadata(`translations/${language}.translation-meta.xml`).reportTypes ?? []) as Xml[];
      for (const name of names) {
        const entry = translated.find((t) => t.name === name);
        assert.ok(entry?.label && entry.description, `${language}: report type ${name} is translated`);
        assert.ok(entry.label.length <= 50, `${language}: ${name} label has ${entry.label.length} characters`);
        const masterLabels = ((readMetadata(`reportTypes/${name}.reportType-meta.xml`).sections as Xml[]).map((s) => s.masterLabel));
        assert.deepEqual([entry.sections ?? []].flat().map((s: Xml) => s.name).sort(), [...masterLabels].sort(), `${language}: ${name} sections`);
      }
    }
  });
});

describe('dashboard', () => {
  const dashboard = () => readMetadata('dashboards/Partner_Center_Dashboards/Partner_Center_Co_Sell.dashboard-meta.xml');

  it('is a dynamic (viewer) dashboard in a public folder: no running user to fix at install time', () => {
    const folder = readMetadata('dashboards/Partner_Center_Dashboards.dashboardFolder-meta.xml');
    assert.equal(folder.accessType, 'Public');
    const meta = dashboard();
    assert.equal(meta.dashboardType, 'LoggedInUser');
    assert.equal(meta.runningUser, undefined);
    assert.equal(isTrue(meta.isGridLayout), true);
    assert.ok(meta.title && meta.title.length <= 80);
    assert.ok(meta.description && meta.description.length <= 255);
  });

  it('shows the pipeline, the sync errors by reason and the referrals awaiting acceptance, from the packaged reports', () => {
    const components = (dashboard().dashboardGridLayout.dashboardGridComponents as Xml[]).map((c) => c.dashboardComponent as Xml);
    assert.deepEqual(
      components.map((c) => c.report),
      ['Co_Sell_Pipeline_With_Microsoft', 'Sync_Errors_By_Reason', 'Referrals_Awaiting_Acceptance'].map((r) => `${FOLDER}/${r}`),
    );
    for (const component of components) {
      const source = report(component.report.split('/')[1]);
      if (component.groupingColumn) assert.equal(component.groupingColumn, source.groupingsDown[0].field, component.header);
      const summary = component.chartSummary as Xml;
      if (summary.column !== 'RowCount') {
        const column = (source.columns as Xml[]).find((c) => c.field === summary.column);
        assert.ok(column?.aggregateTypes?.includes(summary.aggregate), `${component.header}: ${summary.aggregate} of ${summary.column} is summarised in the report`);
      }
      assert.ok(component.header.length <= 80 && component.footer, component.header);
    }
  });

  it('its grid components do not overlap', () => {
    const cells = new Set<string>();
    for (const c of dashboard().dashboardGridLayout.dashboardGridComponents as Xml[]) {
      for (let col = Number(c.columnIndex); col < Number(c.columnIndex) + Number(c.colSpan); col++) {
        for (let row = Number(c.rowIndex); row < Number(c.rowIndex) + Number(c.rowSpan); row++) {
          assert.ok(!cells.has(`${col}:${row}`), `two components share column ${col}, row ${row}`);
          cells.add(`${col}:${row}`);
        }
      }
      assert.ok(Number(c.columnIndex) + Number(c.colSpan) <= Number(dashboard().dashboardGridLayout.numberOfColumns));
    }
  });
});

describe('Opportunity list views', () => {
  const view = (name: string) => readMetadata(`objects/Opportunity/listViews/${name}.listView-meta.xml`);
  const filtersOf = (name: string) => ((view(name).filters ?? []) as Xml[]).map((f) => ({ field: f.field, operation: f.operation, value: [f.value].flat().join() }));

  it('are "Co-sell errors" and "Awaiting acceptance", visible to everyone, on real fields', () => {
    assert.deepEqual(listMetadata('objects/Opportunity/listViews', '.listView-meta.xml'), ['Awaiting_Acceptance.listView-meta.xml', 'Co_Sell_Errors.listView-meta.xml']);
    for (const name of ['Awaiting_Acceptance', 'Co_Sell_Errors']) {
      const meta = view(name);
      assert.equal(meta.fullName, name);
      assert.equal(meta.filterScope, 'Everything');
      assert.equal(meta.sharedTo, undefined, 'shared with all users');
      for (const field of [...(meta.columns as string[]), ...filtersOf(name).map((f) => f.field)]) {
        if (field.endsWith('__c')) assert.ok(readField('Opportunity', field), `${name}: ${field}`);
      }
    }
    assert.equal(view('Co_Sell_Errors').label, 'Co-sell errors');
    assert.equal(view('Awaiting_Acceptance').label, 'Awaiting acceptance');
  });

  it('Co-sell errors lists what the connector parked: sync status Error, which it sets only on a final failure', () => {
    assert.deepEqual(filtersOf('Co_Sell_Errors'), [{ field: 'Partner_Center_Sync_Status__c', operation: 'equals', value: 'Error' }]);
    assert.ok(picklistValues('Opportunity', 'Partner_Center_Sync_Status__c').includes('Error'));
  });

  it('Awaiting acceptance lists referrals still New in Partner Center', () => {
    assert.deepEqual(filtersOf('Awaiting_Acceptance'), [{ field: 'Partner_Center_Status__c', operation: 'startsWith', value: 'New' }]);
  });
});
