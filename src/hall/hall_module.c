/* The hall module's part of the program: the service hall (智能大厅): queues,
 * tickets, windows, appointments, devices, the board and its event stream.
 * main() registers it; platform/ knows no domain module (docs/architecture.md).
 * Every route names the permission it needs. */
#include "hall/hall.h"
#include "platform/events.h"
#include "platform/routes.h"
#include "platform/ticker.h"

static const route_t routes[] = {
	{"GET", "/api/v1/hall/queues", PERM_PUBLIC, h_hall_queues_list},
	{"POST", "/api/v1/hall/queues", PERM_HALL_MANAGE, h_hall_queue_create},
	{"PUT", "/api/v1/hall/queues/{id}", PERM_HALL_MANAGE, h_hall_queue_update},
	{"GET", "/api/v1/hall/queues/{id}/slots", PERM_PUBLIC, h_hall_slots},
	{"PUT", "/api/v1/hall/windows/{id}/queues", PERM_HALL_MANAGE, h_hall_window_queues},
	{"POST", "/api/v1/hall/tickets", PERM_PUBLIC, h_hall_ticket_create},
	{"GET", "/api/v1/hall/tickets/{token}", PERM_PUBLIC, h_hall_ticket_get},
	{"GET", "/api/v1/hall/tickets/{token}/qr.svg", PERM_PUBLIC, h_hall_ticket_qr},
	{"GET", "/api/v1/hall/windows/{id}", PERM_HALL_SERVE, h_hall_window_get},
	{"GET", "/api/v1/hall/windows/{id}/next-preview", PERM_HALL_SERVE, h_hall_window_preview},
	{"POST", "/api/v1/hall/windows/{id}/call", PERM_HALL_SERVE, h_hall_window_call},
	{"POST", "/api/v1/hall/windows/{id}/recall", PERM_HALL_SERVE, h_hall_window_recall},
	{"POST", "/api/v1/hall/windows/{id}/skip", PERM_HALL_SERVE, h_hall_window_skip},
	{"POST", "/api/v1/hall/windows/{id}/transfer", PERM_HALL_SERVE, h_hall_window_transfer},
	{"POST", "/api/v1/hall/windows/{id}/pause", PERM_HALL_SERVE, h_hall_window_pause},
	{"POST", "/api/v1/hall/windows/{id}/resume", PERM_HALL_SERVE, h_hall_window_resume},
	{"POST", "/api/v1/hall/windows/{id}/start", PERM_HALL_SERVE, h_hall_window_start},
	{"POST", "/api/v1/hall/windows/{id}/finish", PERM_HALL_SERVE, h_hall_window_finish},
	{"POST", "/api/v1/hall/appointments", PERM_CASE_APPLY_OR_ACCEPT, h_hall_appointment_create},
	{"GET", "/api/v1/hall/appointments", PERM_SIGNED_IN, h_hall_appointments_list},
	{"POST", "/api/v1/hall/appointments/{id}/cancel", PERM_CASE_APPLY_OR_ACCEPT, h_hall_appointment_cancel},
	{"POST", "/api/v1/hall/checkin", PERM_PUBLIC, h_hall_checkin},
	{"GET", "/api/v1/hall/appointments/{id}/qr.svg", PERM_SIGNED_IN, h_hall_appointment_qr},
	{"GET", "/api/v1/hall/{id}/devices", PERM_HALL_MANAGE, h_hall_devices_list},
	{"POST", "/api/v1/hall/{id}/devices", PERM_HALL_MANAGE, h_hall_device_create},
	{"POST", "/api/v1/hall/devices/{id}/code", PERM_HALL_MANAGE, h_hall_device_code},
	{"POST", "/api/v1/hall/devices/{id}/revoke", PERM_HALL_MANAGE, h_hall_device_revoke},
	{"POST", "/api/v1/hall/{id}/devices/pair", PERM_PUBLIC, h_hall_device_pair},
	{"GET", "/api/v1/hall/device", PERM_PUBLIC, h_hall_device_me},
	{"GET", "/api/v1/hall/pad", PERM_PUBLIC, h_hall_pad},
	{"GET", "/api/v1/hall/{id}/board", PERM_PUBLIC, h_hall_board},
	{"GET", "/api/v1/hall/{id}/status", PERM_HALL_MANAGE, h_hall_status},
	{"GET", "/api/v1/hall/{id}/stats", PERM_HALL_MANAGE, h_hall_stats},
	{"GET", "/api/v1/hall/{id}/stats.xlsx", PERM_HALL_MANAGE, h_hall_stats_xlsx},
	{"GET", "/api/v1/hall/{id}/events", PERM_PUBLIC, h_hall_events},
	{"POST", "/api/v1/hall/{id}/announce", PERM_HALL_MANAGE, h_hall_announce},
};

void hall_module_register(void)
{
	ROUTES_REGISTER(routes);
	ticker_register("hall", hall_tick);
	events_hook("hall:", hall_board_event);
}
