// A panel's place on the sandbox dashboard: its id, its scoped view of the dashboard event bus and the dashboard's
// cursor-sync setting. Grafana gives each panel the same through PanelProps.eventBus and the PanelContext
// (usePanelContext: eventBus, eventsScope, sync), so plugin code that reads either works here.
import React from 'react';
import { CoreApp, type EventBus, type EventBusSrv } from '@grafana/data';
import { DashboardCursorSync } from '@grafana/schema';
import { PanelContextProvider } from '@grafana/ui';

export interface PanelSlot {
  id: number;
  eventBus: EventBus;
  eventsScope: string;
  sync: () => DashboardCursorSync;
}

export function createPanelSlot(dashboardBus: EventBusSrv, id: number, getSync: () => DashboardCursorSync): PanelSlot {
  return {
    id,
    // Not onlyLocal: a panel must see the other panels' hover events to follow the shared crosshair.
    eventBus: dashboardBus.newScopedBus(`panel-${id}`, { onlyLocal: false }),
    eventsScope: 'global',
    sync: getSync,
  };
}

export function PanelSlotProvider({ slot, children }: { slot: PanelSlot; children: React.ReactNode }) {
  return (
    <PanelContextProvider value={{ eventBus: slot.eventBus, eventsScope: slot.eventsScope, sync: slot.sync, app: CoreApp.Dashboard }}>
      {children}
    </PanelContextProvider>
  );
}
