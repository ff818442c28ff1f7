//! HTTP tests on the real router (one test binary; add modules, not binaries).

mod access_matrix;
mod accounts;
mod api;
mod api_guard;
mod api_transport;
mod auth;
mod bad_input;
mod calls_admin;
mod calls_api;
mod calls_pages;
mod directory;
mod imports;
mod mail;
mod meeting_views;
mod meetings;
mod minutes;
mod pages;
mod programme_admin;
mod programme_api;
mod programme_public;
mod registration;
mod registration_export;
mod remote;
mod review_visibility;
mod support;
mod visa;
