import os

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]

db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.environ["FRONTEND_URL"]])


class Usuario(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(50), unique=True, nullable=False)
    password = db.Column(db.String(200), nullable=False)


with app.app_context():
    db.create_all()


# respuestas en 401 en vez del 422 por defecto
@jwt.invalid_token_loader
def token_invalido(error):
    return jsonify({"msg": "Token inválido"}), 401


@jwt.unauthorized_loader
def sin_token(error):
    return jsonify({"msg": "Falta el token"}), 401


@app.route("/api/registro", methods=["POST"])
def registro():
    datos = request.get_json()
    if not datos.get("username") or not datos.get("password"):
        return jsonify({"msg": "Faltan datos"}), 400
    if Usuario.query.filter_by(username=datos["username"]).first():
        return jsonify({"msg": "El usuario ya existe"}), 409
    usuario = Usuario(
        username=datos["username"], password=generate_password_hash(datos["password"])
    )
    db.session.add(usuario)
    db.session.commit()
    return jsonify({"msg": "Usuario creado"}), 201


@app.route("/api/login", methods=["POST"])
def login():
    datos = request.get_json()
    usuario = Usuario.query.filter_by(username=datos.get("username")).first()
    if usuario is None or not check_password_hash(usuario.password, datos.get("password", "")):
        return jsonify({"msg": "Usuario o contraseña incorrectos"}), 401
    token = create_access_token(identity=str(usuario.id))
    return jsonify({"token": token}), 200


@app.route("/api/perfil", methods=["GET"])
@jwt_required()
def perfil():
    usuario = db.session.get(Usuario, int(get_jwt_identity()))
    return jsonify({"id": usuario.id, "username": usuario.username}), 200
